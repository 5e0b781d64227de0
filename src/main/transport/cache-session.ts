// One open microsandbox home as the desktop app uses it: light reads answered by an in-process
// `Cache`, heavy work by the same core in a worker thread (operation-weight.ts says which is which).
// Opening another home closes this session and opens a new one; building the demo cache (openDemo)
// moves both threads to the demo home within the session.
import { openCache } from '../core/cache'
import { demoBuilder } from '../demo/demo-builder'
import { discardDemoHome } from '../demo/demo-home'
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
    ...routeByWeight(light, worker),
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
      // A demo cache the empty screen built is of no use once the app is gone: it goes with it.
      const demo = light.demoHome
      await worker.close()
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
