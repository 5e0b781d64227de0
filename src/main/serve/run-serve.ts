// `serve` mode: the explorer for headless hosts, opened in a browser (typically through an SSH
// tunnel). The CLI's `serve` command and `npm start` without Electron both end up here.
//
// The core runs in-process here, not in the worker: there is no window whose event loop a long
// call would freeze, the server is single-user, and running from source (tsx) would need a loader
// inside the worker. A heavy call delays other requests by its own duration, nothing more.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { openCache } from '../core/cache'
import { demoBuilder } from '../demo/demo-builder'
import { startServer } from './http-server'
import type { RunningServer } from './http-server'

export interface RunServeOptions {
  /** undefined: MSB_HOME / config.json / ~/.microsandbox, as msb resolves it. */
  home?: string
  port?: number
  /** Defaults to out/renderer of the repository (the built renderer). */
  staticDir?: string
  env?: NodeJS.ProcessEnv
  log?: (line: string) => void
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
  const cache = openCache({ home: options.home, env: options.env ?? process.env, demo: demoBuilder })
  let server: RunningServer
  try {
    server = await startServer({ api: cache, port: options.port, staticDir })
  } catch (error) {
    cache.close()
    throw error
  }
  log(`Image Cache Explorer serving ${cache.home} at ${server.url}`)
  // Say at start what the page will say, so a wrong home or a damaged database is seen in the terminal.
  try {
    cache.status()
  } catch (error) {
    log(`warning: cannot read this cache: ${error instanceof Error ? error.message : String(error)}`)
  }

  const close = async (): Promise<void> => {
    await server.close()
    cache.close()
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
