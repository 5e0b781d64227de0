// The browser behind the stand-in: Debian's Chromium, the same one the browser e2e uses, started
// by Playwright from this (the app's) process with the app's userData as its profile, as Electron
// does. It also listens for CDP on a free loopback port, so the test can attach to the window the
// way `_electron` attaches to Electron's Chromium.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { chromium } from 'playwright-core'
import type { BrowserContext } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../chromium-path'

export interface RunningChromium {
  context: BrowserContext
  cdpEndpoint: string
}

export async function launchChromium(profileDir: string): Promise<RunningChromium> {
  rmSync(join(profileDir, 'DevToolsActivePort'), { force: true })
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    // No emulated viewport: the page is as large as its window, as in Electron.
    viewport: null,
    // --allow-file-access-from-files: what Electron's grantFileProtocolExtraPrivileges fuse gives file: pages
    // (module scripts and stylesheets from file: URLs), which the built page needs.
    args: [...CHROMIUM_ARGS, '--allow-file-access-from-files', '--remote-debugging-port=0', '--window-size=1280,800']
  })
  // Electron starts with no window at all; the persistent context opens one blank tab.
  for (const page of context.pages()) await page.close()
  return { context, cdpEndpoint: `http://127.0.0.1:${await devToolsPort(profileDir)}` }
}

async function devToolsPort(profileDir: string): Promise<number> {
  const file = join(profileDir, 'DevToolsActivePort')
  for (let i = 0; i < 200; i++) {
    if (existsSync(file)) {
      const port = Number(readFileSync(file, 'utf8').split('\n')[0])
      if (Number.isInteger(port) && port > 0) return port
    }
    await sleep(25)
  }
  throw new Error(`Chromium wrote no DevToolsActivePort in ${profileDir}`)
}
