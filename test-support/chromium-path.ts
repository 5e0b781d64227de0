// Debian's Chromium, which the end-to-end suite and the Electron stand-in run (Playwright's own
// browser download is not used): CHROMIUM_PATH, else `chromium` or `chromium-browser` on the PATH.
import { execFileSync } from 'node:child_process'

export function chromiumPath(): string {
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

/** The flags both the browser e2e and the stand-in start Chromium with (CI containers run as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]
