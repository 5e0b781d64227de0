// `serve` mode: the explorer for headless hosts, opened in a browser (typically through an SSH
// tunnel). The CLI's `serve` command and `npm start` without Electron both end up here.
//
// As in the desktop app, light reads run in-process and heavy work (usage, plans, remove, prune) in
// the core worker: the server keeps answering (the list, status polls) while usage is measured, and
// a prune's progress streams to the page as it happens instead of all at once when it ends.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { openCacheSession } from '../transport/cache-session'
import { coreWorkerEntry } from '../transport/worker-entry'
import { startServer } from './http-server'
import type { RunningServer } from './http-server'

export interface RunServeOptions {
  /** undefined: MSB_HOME / config.json / ~/.microsandbox, as msb resolves it. */
  home?: string
  /** Other homes sharing the home's cache (`--also-home`). */
  alsoHomes?: string[]
  port?: number
  /** Defaults to out/renderer of the repository (the built renderer). */
  staticDir?: string
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
  /** File sizes kept between sessions (CacheOptions.sizeStoreDir; the CLI passes the default). */
  sizeStoreDir?: string
  /** Whether to close on SIGINT/SIGTERM (the CLI: yes; tests: no). */
  handleSignals?: boolean
}

export function defaultStaticDir(): string {
  return join(process.cwd(), 'out', 'renderer')
}

export async function runServe(options: RunServeOptions = {}): Promise<RunningServer> {
  const staticDir = options.staticDir ?? defaultStaticDir()
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`the renderer is not built (no ${join(staticDir, 'index.html')}); run \`npm run build\` first`)
  }
  const log = options.log ?? ((line: string) => console.log(line))
  const session = openCacheSession({
    home: options.home,
    env: options.env ?? process.env,
    sizeStoreDir: options.sizeStoreDir,
    ...coreWorkerEntry()
  })
  let server: RunningServer
  try {
    // Both threads learn the homes sharing the cache, as the desktop session does (shareCacheWith).
    if (options.alsoHomes?.length) await session.api.shareCacheWith({ homes: options.alsoHomes })
    server = await startServer({ api: session.api, port: options.port, staticDir })
  } catch (error) {
    await session.close()
    throw error
  }
  log(`Image Cache Explorer serving ${session.home} at ${server.url}`)

  const close = async (): Promise<void> => {
    await server.close()
    await session.close()
  }
  if (options.handleSignals !== false) {
    const stop = (): void => {
      void close().then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  }
  return { ...server, close }
}
