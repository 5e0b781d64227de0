// One open microsandbox home as the desktop app uses it: light reads answered by an in-process
// `Cache`, heavy work by the same core in a worker thread (operation-weight.ts says which is which).
// Opening another home closes this session and opens a new one.
//
// The session owns the app state (src/shared/app-state.ts: the home, the demo, the homes sharing the
// cache) and hands it to both cores: an operation the table marks `appState` (openDemo, closeDemo,
// shareCacheWith) runs in the worker, the state its answer describes becomes the session's, the
// in-process core adopts it, and a worker started later (after a crash) starts on it.
import { openCache } from '../core/cache'
import { demoBuilder } from '../demo/demo-builder'
import { discardDemoHome } from '../demo/demo-home'
import { type AppState, appStateOf, initialAppState } from '../../shared/app-state'
import type { ArgsOf, AsyncCacheApi, CacheStatus, CallOptions } from '../../shared/contract'
import { APP_STATE_OPERATIONS, type AppStateOperation } from '../../shared/operations'
import { routeByWeight } from './operation-weight'
import { type CoreWorkerClient, type CoreWorkerOptions, startCoreWorker } from './worker-client'

export interface CacheSessionOptions {
  /** undefined: the core resolves MSB_HOME / config.json / ~/.microsandbox. */
  home?: string
  env?: NodeJS.ProcessEnv
  workerUrl: URL | string
  execArgv?: string[]
  /** File sizes kept between sessions (CacheOptions.sizeStoreDir), for both threads. */
  sizeStoreDir?: string
  /** Starts the worker (tests wrap it to end the worker the way a crash would). */
  startWorker?: (options: CoreWorkerOptions) => CoreWorkerClient
}

export interface CacheSession {
  /** The resolved home (both threads open this same one); it changes when openDemo succeeds. */
  readonly home: string
  /** The app state both cores are on. */
  readonly state: AppState
  readonly api: AsyncCacheApi
  close(): Promise<void>
}

export function openCacheSession(options: CacheSessionOptions): CacheSession {
  const env = options.env ?? process.env
  // Unset home: both cores resolve it from the same inputs (config.json included).
  let state = initialAppState(options.home)
  const light = openCache({ home: options.home, env, demo: demoBuilder, sizeStoreDir: options.sizeStoreDir })
  const worker = (options.startWorker ?? startCoreWorker)({
    workerUrl: options.workerUrl,
    state: () => state,
    env,
    execArgv: options.execArgv,
    sizeStoreDir: options.sizeStoreDir
  })
  // The file browser's reads in a worker of their own (started on first use, on the same state): a huge
  // or tampered layer can keep it busy up to its deadline, and plans, usage and deletions must go on
  // answering meanwhile.
  const files = (options.startWorker ?? startCoreWorker)({
    workerUrl: options.workerUrl,
    state: () => state,
    env,
    execArgv: options.execArgv,
    sizeStoreDir: options.sizeStoreDir
  })
  // The worker runs it (building the demo is about a second of msb runs, too long to freeze the
  // window's thread; plans and deletions, which must know the homes sharing the cache, are made there).
  // Every app-state operation answers a CacheStatus (operations.ts has the compiler check it).
  const changeAppState = async <K extends AppStateOperation>(
    op: K,
    args: ArgsOf<K>,
    call?: CallOptions
  ): Promise<CacheStatus> => {
    const run = worker[op] as (args: ArgsOf<K>, options?: CallOptions) => Promise<CacheStatus>
    const status = await run(args, call)
    state = appStateOf(status)
    light.adopt(state)
    // The files worker starts again, on the new state, at its next call.
    await files.close()
    return status
  }
  const api: AsyncCacheApi = {
    ...retryAfterSideFilesReplaced(routeByWeight(light, worker), light, worker),
    ...(Object.fromEntries(
      APP_STATE_OPERATIONS.map((op) => [op, (args: never, call?: CallOptions) => changeAppState(op, args, call)])
    ) as unknown as Pick<AsyncCacheApi, AppStateOperation>),
    imageFiles: (args, call) => files.imageFiles(args, call)
  }
  return {
    get home() {
      return light.home
    },
    get state() {
      return state
    },
    api,
    close: async () => {
      // A demo cache the empty screen built is of no use once the app is gone: it goes with it.
      const demo = light.demoHome
      await Promise.all([worker.close(), files.close()])
      light.close()
      if (demo) {
        try {
          discardDemoHome(demo)
        } catch {
          // Not a demo home after all (never the case for one openDemo made): left alone.
        }
      }
    }
  }
}

/**
 * SQLite shares one -shm mapping among all connections of a process to a database. When another program deleted the
 * -wal and -shm, the first thread to notice reopens, but its fresh connection would inherit the deleted mapping while
 * the other thread's connection still holds it, so it refuses (wal-files.ts). Asking the other thread for its status
 * makes it let go of its own; a read is then made again, once. A write is not: it reports what it did (nothing, or
 * rows without files) and the user decides.
 */
const WRITES = new Set(['remove', 'prune'])

function retryAfterSideFilesReplaced(
  api: AsyncCacheApi,
  light: { status(): unknown },
  worker: { status(args: Record<string, never>): Promise<unknown> }
): AsyncCacheApi {
  const replaced = (error: unknown) =>
    (error as { details?: { sideFiles?: unknown } })?.details?.sideFiles === 'replaced'
  const letGo = async () => {
    await Promise.allSettled([worker.status({}), (async () => light.status())()])
  }
  const entries = Object.entries(api).map(([op, call]) => [
    op,
    WRITES.has(op)
      ? call
      : async (...args: unknown[]) => {
          try {
            return await (call as (...a: unknown[]) => Promise<unknown>)(...args)
          } catch (error) {
            if (!replaced(error)) throw error
            await letGo()
            return await (call as (...a: unknown[]) => Promise<unknown>)(...args)
          }
        }
  ])
  return Object.fromEntries(entries) as AsyncCacheApi
}
