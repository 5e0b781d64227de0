import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WriteProgress, PruneResult } from '../../shared/contract'
import { isMsbAvailable } from '../demo/msb'
import { buildScenario, standardScenario } from '../../../test-support/fixtures/scenarios'
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
  it('serves the real core on a missing home, prints one line with the URL, and the page learns why it is empty', async () => {
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
      expect(await response.json()).toMatchObject({
        ok: false,
        error: { code: 'InvalidArgument', message: `the home ${home} does not exist` }
      })
      const status = await fetch(`http://127.0.0.1:${server.port}/api/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
        body: '{}'
      })
      expect(await status.json()).toMatchObject({
        ok: true,
        result: { home, schema: { kind: 'missing' }, readOnly: true, readOnlyReason: `the home ${home} does not exist` }
      })
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

  it.skipIf(!isMsbAvailable())(
    "streams a prune's progress before its answer, ending at every planned file removed",
    async () => {
      const home = join(root, 'prune-home')
      buildScenario(home, standardScenario())
      const server = await runServe({ home, staticDir, env: {}, log: () => undefined, handleSignals: false })
      try {
        const planned = await fetch(`http://127.0.0.1:${server.port}/api/prunePlan`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
          body: JSON.stringify({ scope: { kind: 'unused' } })
        })
        const { result: plan } = (await planned.json()) as { result: { fingerprint: string } }
        const response = await fetch(`http://127.0.0.1:${server.port}/api/prune`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-explorer-token': server.token,
            accept: 'application/x-ndjson'
          },
          body: JSON.stringify({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
        })
        expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
        const lines = (await response.text())
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Record<string, unknown>)
        const answer = lines.pop() as { ok: boolean; result: PruneResult }
        const progress = lines.map((l) => l.progress as WriteProgress)
        expect(answer.ok).toBe(true)
        expect(progress.length).toBeGreaterThanOrEqual(3)
        expect(progress[0]).toMatchObject({ operation: 'prune', phase: 'deciding' })
        const phases = progress.map((p) => p.phase)
        expect(phases).toContain('moving')
        expect(phases.at(-1)).toBe('done')
        const last = progress.at(-1)!
        expect(last.filesTotal).toBeGreaterThan(0)
        expect(last.filesRemoved).toBe(last.filesTotal)
        expect(last.bytesFreed).toBe(answer.result.report.bytesReclaimed)
        // Counts never go backwards.
        for (let i = 1; i < progress.length; i++)
          expect(progress[i].filesRemoved).toBeGreaterThanOrEqual(progress[i - 1].filesRemoved)
      } finally {
        await server.close()
      }
    }
  )

  it('explains what to do when the renderer is not built', async () => {
    await expect(runServe({ staticDir: join(root, 'missing'), handleSignals: false })).rejects.toThrow(/npm run build/)
  })
})
