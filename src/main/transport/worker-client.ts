// `AsyncCacheApi` by message passing to the core worker (core-worker.ts).
//
// The worker is started on first use, on the app state it is handed (`state`, read at each start), and
// restarted on the next call if it dies; a death rejects
// every call in flight with an `Internal` error instead of leaving the renderer waiting forever.
// Errors come back as data and are rebuilt into `CacheError`s, so callers see the same errors as
// from the in-process core.
import { Worker } from 'node:worker_threads'
import { type AppState, initialAppState } from '../../shared/app-state'
import type { AsyncCacheApi, CallOptions, Operation, ProgressListener } from '../../shared/contract'
import { CacheError, deserializeError } from '../../shared/errors'
import { OPERATIONS } from '../../shared/operations'
import type { CoreCommand, CoreReply, CoreWorkerData } from './worker-protocol'

export interface CoreWorkerOptions {
  /** The built worker (`out/main/core-worker.js`), or core-worker.ts with a TypeScript loader in execArgv. */
  workerUrl: URL | string
  /**
   * The app state a worker starts on, asked each time one starts (the session owns it, and changes it
   * after an app-state operation). Without it: `home` as given, no demo, no other home.
   */
  state?: () => AppState
  home?: string
  env?: NodeJS.ProcessEnv
  /** e.g. `['--import', 'tsx']` when running from source. Defaults to the parent's. */
  execArgv?: string[]
  /** File sizes kept between sessions (CacheOptions.sizeStoreDir). */
  sizeStoreDir?: string
}

export type CoreWorkerClient = AsyncCacheApi & {
  /** Closes the worker's database and ends the thread. Calls after this start a new worker. */
  close(): Promise<void>
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  onProgress?: ProgressListener
}

const CLOSE_GRACE_MS = 5_000

export function startCoreWorker(options: CoreWorkerOptions): CoreWorkerClient {
  let worker: Worker | undefined
  const fixed = initialAppState(options.home)
  const stateNow = options.state ?? (() => fixed)
  let nextId = 1
  const pending = new Map<number, Pending>()

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }

  const spawn = (): Worker => {
    const data: CoreWorkerData = {
      state: stateNow(),
      env: options.env ? { ...options.env } : undefined,
      sizeStoreDir: options.sizeStoreDir
    }
    const w = new Worker(options.workerUrl, {
      workerData: data,
      ...(options.execArgv ? { execArgv: options.execArgv } : {})
    })
    w.on('message', (reply: CoreReply) => {
      const p = pending.get(reply.id)
      if (!p) return
      if ('progress' in reply) return p.onProgress?.(reply.progress)
      pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.result)
      else p.reject(deserializeError(reply.error))
    })
    w.on('error', (error) => {
      failAll(new CacheError('Internal', `the cache worker failed: ${error.message}`))
    })
    w.on('exit', (code) => {
      if (worker === w) worker = undefined
      failAll(new CacheError('Internal', `the cache worker stopped (exit code ${code})`))
    })
    return w
  }

  const send = (op: Operation, args: unknown, onProgress?: ProgressListener): Promise<unknown> =>
    new Promise((resolve, reject) => {
      worker ??= spawn()
      const id = nextId++
      pending.set(id, { resolve, reject, onProgress })
      const command: CoreCommand = { kind: 'call', id, op, args }
      worker.postMessage(command)
    })

  const close = async (): Promise<void> => {
    const w = worker
    if (!w) return
    worker = undefined
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()))
    w.postMessage({ kind: 'close' } satisfies CoreCommand)
    const timer = setTimeout(() => void w.terminate(), CLOSE_GRACE_MS)
    await exited
    clearTimeout(timer)
  }

  const api = Object.fromEntries(
    OPERATIONS.map((op) => [op, (args: unknown, options?: CallOptions) => send(op, args, options?.onProgress)])
  ) as unknown as AsyncCacheApi
  return Object.assign(api, { close })
}
