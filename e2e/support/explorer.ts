// One explorer per spec, against a real cache: a fixture built by the real msb (a copy of one built
// once per run, see test-support/fixtures/scenario-templates.ts) in a private MSB_HOME, the real core
// (openCache) and the real HTTP transport (startServer) in this process. Nothing is mocked; the page
// talks to exactly what `npm run serve` runs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCache, type Cache } from '../../src/main/core/cache'
import type { CacheStatus } from '../../src/shared/contract'
import { demoBuilder } from '../../src/main/demo/demo-builder'
import {
  buildScenario,
  standardScenario,
  type BuiltScenario,
  type Scenario
} from '../../test-support/fixtures/scenarios'
import { startServer, type RunningServer } from '../../src/main/serve/http-server'
import { openCacheSession } from '../../src/main/transport/cache-session'
import { coreWorkerEntry } from '../../src/main/transport/worker-entry'
import { E2E_RENDERER_DIR } from './build-renderer'

export interface ServeExplorer {
  transport: 'serve'
  home: string
  /** `http://127.0.0.1:PORT/#token=…` */
  url: string
  cache: Cache
  server: RunningServer
  built: BuiltScenario | null
  /** The status the core reports (its home moves when a demo is built). */
  status(): Promise<CacheStatus>
  close(): Promise<void>
}

export interface ExplorerOptions {
  /** The cache contents; `null` leaves the home empty (no database at all). Defaults to the standard scenario. */
  scenario?: Scenario | null
  /**
   * Serve heavy operations from the core worker, as `npm run serve` does, so a prune's progress
   * streams while it runs (the in-process core answers a call only when it is finished).
   */
  worker?: boolean
}

export async function startExplorer(options: ExplorerOptions = {}): Promise<ServeExplorer> {
  const home = mkdtempSync(join(tmpdir(), 'ice-e2e-home-'))
  const scenario = options.scenario === undefined ? standardScenario() : options.scenario
  const built = scenario ? buildScenario(home, scenario) : null
  const cache = openCache({ home, demo: demoBuilder })
  const session = options.worker ? openCacheSession({ home, env: {}, ...coreWorkerEntry() }) : null
  const server = await startServer({ api: session?.api ?? cache, staticDir: E2E_RENDERER_DIR })
  return {
    transport: 'serve',
    home,
    url: server.url,
    cache,
    server,
    built,
    status: async () => cache.status({}),
    async close() {
      await server.close()
      await session?.close()
      cache.close()
      rmSync(home, { recursive: true, force: true })
    }
  }
}
