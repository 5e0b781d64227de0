// Playwright, in Debian's Chromium (Playwright's browser download is not used), one project per transport:
//   chromium  every shared spec (e2e/*.spec.ts): the built renderer served over HTTP by the real core
//             (serve mode), in a browser tab
//   desktop   the specs only the desktop has (e2e/desktop/), plus a sample of the shared specs
//             (DESKTOP_SAMPLE): the built desktop app (out/main, out/preload, the file:// page) on the
//             Electron stand-in, over IPC. The page and the core are the same in both transports, so
//             what the desktop adds is the transport: a read, a plan and a write, progress messages,
//             the app state (the demo, the homes sharing the cache) through the session's two cores, the
//             live refresh (empty-state: the first image as msb stores it); the rest of the shared specs
//             would prove the page again.
//   screenshots  pictures of the main states for a person (`npm run screenshots`), not run by `npm test`
// Project `electron` (e2e/electron/) drives a real Electron binary where one exists.
import { defineConfig } from '@playwright/test'
import type { TransportOption } from './e2e/support/test'
import { CHROMIUM_ARGS, chromiumPath } from './test-support/chromium-path'

/** The shared specs the desktop project runs too (see above); `E2E_DESKTOP_ALL=1` runs every one. */
const DESKTOP_SAMPLE = ['remove', 'progress', 'shared-cache', 'empty-state']
const desktopShared = process.env.E2E_DESKTOP_ALL
  ? /e2e\/[^/]+\.spec\.ts$/
  : new RegExp(`e2e/(${DESKTOP_SAMPLE.join('|')})\\.spec\\.ts$`)

const browser = {
  browserName: 'chromium' as const,
  viewport: { width: 1280, height: 800 },
  // The app honours reduced motion (styles/base/reduced-motion.css): no fades for Playwright to wait out
  // and no pulsing placeholders for a software-rendered page to paint (7 % of the suite's CPU).
  reducedMotion: 'reduce' as const,
  launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS }
}

export default defineConfig<TransportOption>({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  globalSetup: './e2e/support/global-setup.ts',
  fullyParallel: false,
  // Three at once on two cores: most of a spec's time is spent waiting (for an app to start, msb,
  // the page to settle), and a third worker fills it (the suite's wall time fell by a third).
  workers: 3,
  // One retry: on a loaded 2-core machine a virtualised row can re-render under a click; a spec that
  // fails twice is a failure, and one that passes only on retry is listed as flaky in the report.
  retries: 1,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'test-results/report' }]] : [['list']],
  use: {
    // An action or a navigation that cannot happen fails within seconds and says which, instead of
    // waiting out the test's whole timeout.
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'on-first-retry'
  },
  projects: [
    {
      name: 'chromium',
      testMatch: /e2e\/[^/]+\.spec\.ts$/,
      testIgnore: [/e2e\/electron\//, /e2e\/desktop\//, /e2e\/screenshots\.spec\.ts$/],
      use: { ...browser, transport: 'serve' }
    },
    {
      // Pictures of the main states for a person to look at (`npm run screenshots`); they prove nothing
      // narrow-window.spec.ts does not, so `npm test` leaves them out (it names its projects).
      name: 'screenshots',
      testMatch: /e2e\/screenshots\.spec\.ts$/,
      use: { ...browser, transport: 'serve' }
    },
    {
      name: 'desktop',
      testMatch: [desktopShared, /e2e\/desktop\/.+\.spec\.ts$/],
      use: { ...browser, transport: 'desktop' }
    },
    {
      name: 'electron',
      testMatch: /e2e\/electron\/.+\.spec\.ts$/
    }
  ]
})
