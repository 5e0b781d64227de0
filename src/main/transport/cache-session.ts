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
  // The file browser's reads in a worker of their own (started on first use): a huge or tampered layer
  // can keep it busy up to its deadline, and plans, usage and deletions must go on answering meanwhile.
  const filesWorkerAt = (home: string | undefined) =>
    startCoreWorker({
      workerUrl: options.workerUrl,
      home,
      env,
      execArgv: options.execArgv,
      sizeStoreDir: options.sizeStoreDir
    })
  let files = filesWorkerAt(options.home)
  const moveFilesWorker = async (home: string) => {
    const old = files
    files = filesWorkerAt(home)
    await old.close()
  }
  const api: AsyncCacheApi = {
    ...routeByWeight(light, worker),
    imageFiles: (args, callOptions) => files.imageFiles(args, callOptions),
    // The worker builds the demo (about a second of msb runs, too long to freeze the window's
    // thread) and moves its core there; the in-process core follows it to the same home.
    openDemo: async (args) => {
      const status = await worker.openDemo(args)
      light.moveTo(status.home, status.demoOf)
      await moveFilesWorker(status.home)
      return status
    },
    closeDemo: async (args) => {
      const status = await worker.closeDemo(args)
      light.moveTo(status.home, null)
      await moveFilesWorker(status.home)
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
      await Promise.all([worker.close(), files.close()])
      light.close()
    }
  }
}
