// One desktop explorer per spec: a fixture cache built by the real msb in a private MSB_HOME, and
// the built desktop app (`out/main/index.js`, its preload and its file:// page) running in its own
// process on the Electron stand-in (test-support/electron-standin), talking over IPC. The page is
// the app's own window, attached to over CDP.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { CacheStatus } from '../../src/shared/contract'
import type { WireResponse } from '../../src/shared/http-protocol'
import { buildScenario, type BuiltScenario, type Scenario } from '../../test-support/fixtures/scenarios'
import { launchDesktopApp, type DesktopApp } from '../../test-support/electron-standin/launch'

export interface DesktopExplorer {
  transport: 'desktop'
  home: string
  userData: string
  built: BuiltScenario | null
  app: DesktopApp
  window: Page
  /** The status the app itself reports (its home moves when a demo is built or another home opened). */
  status(): Promise<CacheStatus>
  close(): Promise<void>
}

export async function startDesktopExplorer(options: { scenario: Scenario | null }): Promise<DesktopExplorer> {
  const home = mkdtempSync(join(tmpdir(), 'ice-desktop-home-'))
  const userData = mkdtempSync(join(tmpdir(), 'ice-desktop-userdata-'))
  const built = options.scenario ? buildScenario(home, options.scenario) : null
  const app = launchDesktopApp({ home, userData })
  let window: Page
  try {
    window = await app.firstWindow()
  } catch (error) {
    await app.close()
    throw error
  }
  return {
    transport: 'desktop',
    home,
    userData,
    built,
    app,
    window,
    async status() {
      const reply = await window.evaluate(() =>
        (
          globalThis as unknown as { cacheApi: { status(args: object): Promise<WireResponse<CacheStatus>> } }
        ).cacheApi.status({})
      )
      if (!reply.ok) throw new Error(`status failed: ${reply.error.message}`)
      return reply.result
    },
    async close() {
      await app.close()
      // Chromium may still be flushing its profile for a moment after the app has gone.
      rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
      rmSync(userData, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
    }
  }
}
