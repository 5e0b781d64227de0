import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isMsbAvailable } from '../demo/msb'
import { runServe } from './run-serve'

let root: string
let staticDir: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'run-serve-'))
  staticDir = join(root, 'renderer')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('runServe', () => {
  it('serves the real core on a missing home and prints one line with the URL', async () => {
    const lines: string[] = []
    const home = join(root, 'no-such-home')
    const server = await runServe({ home, staticDir, env: {}, log: (l) => lines.push(l), handleSignals: false })
    try {
      expect(lines).toEqual([`Image Cache Explorer serving ${home} at ${server.url}`])
      const response = await fetch(`http://127.0.0.1:${server.port}/api/list`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
        body: '{}'
      })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ ok: true, result: [] })
      const status = await fetch(`http://127.0.0.1:${server.port}/api/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
        body: '{}'
      })
      expect(await status.json()).toMatchObject({ ok: true, result: { home, schema: { kind: 'missing' } } })
    } finally {
      await server.close()
    }
  })

  it('says at start when the cache cannot be read (a 0-byte database)', async () => {
    const lines: string[] = []
    const home = join(root, 'empty-db-home')
    mkdirSync(join(home, 'db'), { recursive: true })
    writeFileSync(join(home, 'db', 'msb.db'), '')
    const server = await runServe({ home, staticDir, env: {}, log: (l) => lines.push(l), handleSignals: false })
    try {
      expect(lines[0]).toBe(`Image Cache Explorer serving ${home} at ${server.url}`)
      expect(lines[1]).toMatch(/^warning: cannot read this cache: .*empty or damaged/)
    } finally {
      await server.close()
    }
  })

  it.skipIf(!isMsbAvailable())('builds the demo cache on request and serves it from then on', async () => {
    const home = join(root, 'empty-home')
    const server = await runServe({ home, staticDir, env: {}, log: () => undefined, handleSignals: false })
    const call = async (op: string) => {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
        body: '{}'
      })
      return (await response.json()) as { ok: boolean; result: { home: string; imageCount: number } & unknown[] }
    }
    let demoHome: string | undefined
    try {
      expect(await call('status')).toMatchObject({ ok: true, result: { home, demoAvailable: true } })
      const opened = await call('openDemo')
      expect(opened.ok).toBe(true)
      demoHome = opened.result.home
      expect(demoHome).not.toBe(home)
      expect(opened.result.imageCount).toBeGreaterThan(0)
      expect((await call('status')).result.home).toBe(demoHome)
      expect((await call('list')).result).toHaveLength(opened.result.imageCount)
    } finally {
      await server.close()
      if (demoHome) rmSync(demoHome, { recursive: true, force: true })
    }
  })

  it('explains what to do when the renderer is not built', async () => {
    await expect(runServe({ staticDir: join(root, 'missing'), handleSignals: false })).rejects.toThrow(/npm run build/)
  })
})
