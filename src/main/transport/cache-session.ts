// One open microsandbox home as the desktop app uses it: light reads answered by an in-process
// `Cache`, heavy work by the same core in a worker thread (operation-weight.ts says which is which).
// Opening another home closes this session and opens a new one; building the demo cache (openDemo)
// moves both threads to the demo home within the session.
import { openCache } from '../core/cache'
import { demoBuilder } from '../demo/demo-builder'
import type { AsyncCacheApi } from '../../shared/contract'
import { routeByWeight } from './operation-weight'
import { startCoreWorker } from './worker-client'

export interface CacheSessionOptions {
  /** undefined: the core resolves MSB_HOME / config.json / ~/.microsandbox. */
  home?: string
  env?: NodeJS.ProcessEnv
  workerUrl: URL | string
  execArgv?: string[]
  /** File sizes kept between sessions (CacheOptions.sizeStoreDir), for both threads. */
  sizeStoreDir?: string
}

export interface CacheSession {
  /** The resolved home (both threads open this same one); it changes when openDemo succeeds. */
  readonly home: string
  readonly api: AsyncCacheApi
  close(): Promise<void>
}

export function openCacheSession(options: CacheSessionOptions): CacheSession {
  const env = options.env ?? process.env
  const light = openCache({ home: options.home, env, demo: demoBuilder, sizeStoreDir: options.sizeStoreDir })
  // Same inputs as the in-process core, so both resolve the same home (config.json included).
  const worker = startCoreWorker({
    workerUrl: options.workerUrl,
    home: options.home,
    env,
    execArgv: options.execArgv,
    sizeStoreDir: options.sizeStoreDir
  })
  const api: AsyncCacheApi = {
    ...retryAfterSideFilesReplaced(routeByWeight(light, worker), light, worker),
    // The worker builds the demo (about a second of msb runs, too long to freeze the window's
    // thread) and moves its core there; the in-process core follows it to the same home.
    openDemo: async (args) => {
      const status = await worker.openDemo(args)
      light.moveTo(status.home, status.demoOf)
      return status
    },
    closeDemo: async (args) => {
      const status = await worker.closeDemo(args)
      light.moveTo(status.home, null)
      return status
    },
    // Both cores must know the homes sharing the cache: the worker plans and deletes, the in-process
    // core answers status.
    shareCacheWith: async (args) => {
      const status = await worker.shareCacheWith(args)
      light.shareCacheWith(args)
      return status
    }
  }
  return {
    get home() {
      return light.home
    },
    api,
    close: async () => {
      await worker.close()
      light.close()
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
