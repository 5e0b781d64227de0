// Playwright: the browser e2e (project `chromium`, e2e/*.spec.ts) runs the built renderer against the
// real core through the HTTP transport, in Debian's Chromium (Playwright's browser download is not
// used); the desktop e2e (project `electron`, e2e/electron/**) drives the Electron app itself.
import { execFileSync } from 'node:child_process'
import { defineConfig } from '@playwright/test'

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim()
    } catch {
      // try the next name
    }
  }
  return '/usr/bin/chromium'
}

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  globalSetup: './e2e/support/global-setup.ts',
  fullyParallel: false,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'test-results/report' }]] : [['list']],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure'
  },
  projects: [
    {
      name: 'chromium',
      testMatch: '*.spec.ts',
      testIgnore: 'electron/**',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromiumPath(),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run'
          ]
        }
      }
    },
    {
      name: 'electron',
      testMatch: 'electron/**/*.spec.ts'
    }
  ]
})
