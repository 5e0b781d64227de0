// Helpers for the specs only the desktop app has (e2e/desktop/, project `desktop`).
import { expect } from '@playwright/test'
import type { Page } from '@playwright/test'
import type { DesktopExplorer } from './desktop-explorer'
import type { Explorer } from './test'

export function desktop(explorer: Explorer): DesktopExplorer {
  if (explorer.transport !== 'desktop') throw new Error('this spec runs in the desktop project only')
  return explorer
}

/** Resolves with the exit code, or fails the test if the app is still running after `ms`. */
export async function exitWithin(explorer: DesktopExplorer, ms: number): Promise<number | null> {
  const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), ms))
  const result = await Promise.race([explorer.app.exited, timeout])
  expect(result, `the app process ended within ${ms} ms`).not.toBe('still running')
  return result as number | null
}

/** The top bar's line that names the home the window shows. */
export function shownHome(page: Page) {
  return page.locator('.home-path')
}
