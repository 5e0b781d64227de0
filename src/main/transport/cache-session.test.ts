// The worker path against the real core on an empty (missing) microsandbox home: the desktop app's
// state on a machine where nothing was pulled yet must be a normal, empty answer. Then openDemo, which
// must move both threads to the demo home the real msb built.
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_HOME_PREFIX } from '../demo/demo-cache'
import { isMsbAvailable, msbJson } from '../demo/msb'
import { dispatch } from './dispatch'
import { openCacheSession } from './cache-session'
import type { CacheSession } from './cache-session'
import { type CoreWorkerClient, startCoreWorker } from './worker-client'

// From source, the worker needs tsx to load TypeScript; the built app runs out/main/core-worker.js.
const workerUrl = new URL('./core-worker.ts', import.meta.url)
const execArgv = ['--import', 'tsx']

let root: string
let home: string
let session: CacheSession

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cache-session-'))
  // An empty home: it exists (a --home that does not is refused) but msb has never written to it.
  home = join(root, 'msb-home')
  mkdirSync(home)
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
    const plan = await session.api.prunePlan({ scope: { kind: 'unused' } })
    const answer = await dispatch(session.api, 'prune', { scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
    expect(answer).toMatchObject({ ok: true, result: { report: { imageRefsRemoved: 0, bytesReclaimed: null } } })
  })
})

describe.skipIf(!isMsbAvailable())('openDemo in a session', () => {
  let demoSession: CacheSession
  let demoHome: string | undefined

  beforeAll(() => {
    mkdirSync(join(root, 'empty-home'))
    demoSession = openCacheSession({ home: join(root, 'empty-home'), workerUrl, execArgv, env: {} })
  })

  afterAll(async () => {
    await demoSession.close()
    if (demoHome) rmSync(demoHome, { recursive: true, force: true })
  })

  it('builds the demo in a new temporary home and moves both threads there', async () => {
    const status = await demoSession.api.openDemo({})
    demoHome = status.home
    expect(status.home.startsWith(join(tmpdir(), DEMO_HOME_PREFIX))).toBe(true)
    expect(status).toMatchObject({ schema: { kind: 'known' }, readOnly: false, demoAvailable: true })
    expect(demoSession.home).toBe(status.home)

    const msbRefs = msbJson<Array<{ reference: string }>>(status.home, ['image', 'ls'])
      .map((i) => i.reference)
      .sort()
    expect(status.imageCount).toBe(msbRefs.length)
    // In-process (light) and worker (heavy) both answer from the demo home.
    const list = await demoSession.api.list({})
    expect(list.map((i) => i.reference).sort()).toEqual(msbRefs)
    const usage = await demoSession.api.usage({})
    expect(usage.images.map((u) => u.reference).sort()).toEqual(msbRefs)
    expect(usage.images.some((u) => u.sandboxes.length > 0)).toBe(true)
    expect(usage.sharedLayerBytes).toBeGreaterThan(0)
    // The file browser has a worker of its own, which moved too (it starts again on its next call). While
    // it starts, busy, a plan asked after it answers first (issue 26: a tampered layer held the one
    // worker every call went through, which would answer in the order asked).
    const order: string[] = []
    const files = demoSession.api.imageFiles({ reference: msbRefs[0] }).then((f) => (order.push('imageFiles'), f))
    const plan = demoSession.api.prunePlan({ scope: { kind: 'unused' } }).then(() => order.push('prunePlan'))
    const [answer] = await Promise.all([files, plan])
    expect(answer.reference).toBe(msbRefs[0])
    expect(answer.entries.length).toBeGreaterThan(0)
    expect(order).toEqual(['prunePlan', 'imageFiles'])
  })

  it('deletes the demo home when the session closes (the app quits)', async () => {
    expect(demoHome && existsSync(demoHome)).toBe(true)
    await demoSession.close()
    expect(existsSync(demoHome!)).toBe(false)
    // The home the session opened first is the user's: it stays.
    expect(existsSync(join(root, 'empty-home'))).toBe(true)
  })

  it('a worker started again after a crash is on the app state the window is on: the demo, then the home after it', async () => {
    const userHome = join(root, 'user-home')
    const other = join(root, 'other-home')
    mkdirSync(userHome)
    mkdirSync(other)
    // A home sharing userHome's cache, named below (shareCacheWith is app state too).
    writeFileSync(join(other, 'config.json'), JSON.stringify({ paths: { cache: join(userHome, 'cache') } }))
    let worker: CoreWorkerClient | undefined
    const session = openCacheSession({
      home: userHome,
      workerUrl,
      execArgv,
      env: {},
      startWorker: (options) => (worker = startCoreWorker(options))
    })
    // Ends the worker's thread the way a crash would: the next call starts another, which answers here.
    const restartedWorker = async () => {
      await worker!.close()
      return worker!.status({})
    }
    let demo: string | undefined
    try {
      demo = (await session.api.openDemo({})).home
      expect(await restartedWorker()).toMatchObject({ home: demo, demoOf: userHome })
      await expect(session.api.closeDemo({})).resolves.toMatchObject({ home: userHome, demoOf: null })
      expect(existsSync(demo)).toBe(false)
      expect(await restartedWorker()).toMatchObject({ home: userHome, demoOf: null, alsoHomes: [] })
      // The heavy side answers from the user's home again, not from the deleted demo home.
      await expect(session.api.usage({})).resolves.toMatchObject({ images: [] })

      await session.api.shareCacheWith({ homes: [other] })
      expect(await restartedWorker()).toMatchObject({ home: userHome, alsoHomes: [other] })
      expect(await session.api.status({})).toMatchObject({ home: userHome, alsoHomes: [other], sharedCache: true })
      expect(session.state).toEqual({ home: userHome, demoOf: null, alsoHomes: [other] })
    } finally {
      await session.close()
      if (demo) rmSync(demo, { recursive: true, force: true })
    }
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
    writeFileSync(
      dying,
      "import { parentPort } from 'node:worker_threads'\nparentPort.on('message', () => process.exit(3))\n"
    )
    const worker = startCoreWorker({ workerUrl: dying, home, env: {} })
    await expect(Promise.all([worker.status({}), worker.list({})])).rejects.toMatchObject({
      code: 'Internal',
      message: expect.stringContaining('exit code 3')
    })
    await expect(worker.list({})).rejects.toMatchObject({ code: 'Internal' })
    await worker.close()
  })
})
