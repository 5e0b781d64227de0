// The worker path against the real core on an empty (missing) microsandbox home: the desktop app's
// state on a machine where nothing was pulled yet must be a normal, empty answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from './dispatch'
import { openCacheSession } from './cache-session'
import type { CacheSession } from './cache-session'
import { startCoreWorker } from './worker-client'

// From source, the worker needs tsx to load TypeScript; the built app runs out/main/core-worker.js.
const workerUrl = new URL('./core-worker.ts', import.meta.url)
const execArgv = ['--import', 'tsx']

let root: string
let home: string
let session: CacheSession

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cache-session-'))
  home = join(root, 'msb-home')
  session = openCacheSession({ home, workerUrl, execArgv, env: {} })
})

afterAll(async () => {
  await session.close()
  rmSync(root, { recursive: true, force: true })
})

describe('cache session on a missing home', () => {
  it('answers status and list in-process', async () => {
    const status = await session.api.status({})
    expect(status).toMatchObject({ home, schema: { kind: 'missing' }, readOnly: true, imageCount: 0 })
    await expect(session.api.list({})).resolves.toEqual([])
  })

  it('answers usage from the worker', async () => {
    const usage = await session.api.usage({})
    expect(usage.images).toEqual([])
    expect(usage.totalBytes).toBe(0)
  })

  it('brings core errors back from the worker as data with their code', async () => {
    const answer = await dispatch(session.api, 'insight', { reference: 'alpine:3' })
    expect(answer).toMatchObject({ ok: false, error: { code: 'ImageNotFound' } })
  })

  it('runs a write in the worker: pruning an empty cache reclaims nothing', async () => {
    const answer = await dispatch(session.api, 'prune', { scope: { kind: 'unused' } })
    expect(answer).toMatchObject({ ok: true, result: { report: { imageRefsRemoved: 0, bytesReclaimed: null } } })
  })
})

describe('worker client', () => {
  it('runs calls concurrently in order and closes cleanly', async () => {
    const worker = startCoreWorker({ workerUrl, execArgv, home, env: {} })
    const answers = await Promise.all([worker.status({}), worker.list({}), worker.status({})])
    expect(answers[0].home).toBe(home)
    expect(answers[1]).toEqual([])
    await worker.close()
    // A call after close starts a fresh worker.
    await expect(worker.list({})).resolves.toEqual([])
    await worker.close()
  })

  it('fails calls in flight with Internal when the worker dies, then starts a new one', async () => {
    // A stand-in worker that dies on its first message, the way a native fault would end the thread.
    const dying = join(root, 'dying-worker.mjs')
    writeFileSync(dying, "import { parentPort } from 'node:worker_threads'\nparentPort.on('message', () => process.exit(3))\n")
    const worker = startCoreWorker({ workerUrl: dying, home, env: {} })
    await expect(Promise.all([worker.status({}), worker.list({})])).rejects.toMatchObject({
      code: 'Internal',
      message: expect.stringContaining('exit code 3')
    })
    await expect(worker.list({})).rejects.toMatchObject({ code: 'Internal' })
    await worker.close()
  })
})
