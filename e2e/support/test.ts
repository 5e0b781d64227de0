// The e2e test object: every test gets its own fixture cache and explorer (`explorer`) and a page
// already showing it (`app`). The same specs run in two transports, one Playwright project each:
// `serve` (the page from the HTTP server in a browser tab) and `desktop` (the built desktop app on
// the Electron stand-in, its own window talking over IPC). Console errors and uncaught page errors
// fail the test; in the desktop app so does any Content-Security-Policy violation the page reports.
import { writeFileSync } from 'node:fs'
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import { standardScenario, type Scenario } from '../../test-support/fixtures/scenarios'
import { startDesktopExplorer, type DesktopExplorer } from './desktop-explorer'
import { startExplorer, type ServeExplorer } from './explorer'

export type Transport = 'serve' | 'desktop'
export type Explorer = ServeExplorer | DesktopExplorer
export interface TransportOption {
  transport: Transport
}

interface Fixtures {
  scenario: Scenario | null
  transport: Transport
  /** Heavy operations in the core worker (see ExplorerOptions.worker). */
  worker: boolean
  explorer: Explorer
  app: Page
}

export const test = base.extend<Fixtures>({
  scenario: [standardScenario(), { option: true }],
  transport: ['serve', { option: true }],
  worker: [false, { option: true }],
  explorer: async ({ scenario, transport, worker }, use) => {
    const explorer =
      transport === 'desktop' ? await startDesktopExplorer({ scenario }) : await startExplorer({ scenario, worker })
    await use(explorer)
    await explorer.close()
  },
  app: async ({ page: tab, explorer, viewport }, use, testInfo) => {
    const page = explorer.transport === 'desktop' ? explorer.window : tab
    // The window's page gets the project's viewport, so both transports lay the page out alike
    // (a window's content is smaller than its outer size by the title and menu bars).
    if (explorer.transport === 'desktop' && viewport) await page.setViewportSize(viewport)
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      // A refused write answers 4xx on purpose (e.g. ImageInUse before force); the page shows it.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console error: ${message.text()}`)
      }
    })
    if (explorer.transport === 'serve') await page.goto(explorer.url)
    await expect(page.locator('.center-message')).toHaveCount(0, { timeout: 10_000 })
    await use(page)
    if (explorer.transport === 'desktop') {
      if (testInfo.status !== testInfo.expectedStatus) {
        await page.screenshot({ path: testInfo.outputPath('desktop-window.png') }).catch(() => undefined)
        writeFileSync(testInfo.outputPath('desktop-app-stderr.txt'), explorer.app.stderr())
      }
      const events = await explorer.app.events().catch(() => [])
      for (const event of events) {
        if (event.kind === 'csp-violation')
          problems.push(`CSP violation: ${event.directive} blocked ${event.blocked} (${event.source})`)
        if (event.kind === 'preload-error') problems.push(`preload error: ${event.message}`)
      }
    }
    expect(problems, 'no console errors, page errors or CSP violations').toEqual([])
  }
})

export { expect }

export function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Cached images' })
}

export function row(page: Page, reference: string): Locator {
  return page.locator(`[role="row"][data-reference="${reference.replace(/"/g, '\\"')}"]`)
}

/**
 * The row of `reference`, scrolled into the DOM first: the table renders only the rows near its
 * viewport, so a row further down exists only once the grid is scrolled to it. Scrolls from the top
 * half a screen at a time; if the reference is not in the table the locator simply matches nothing.
 */
export async function showRow(page: Page, reference: string): Promise<Locator> {
  const target = row(page, reference)
  if ((await target.count()) > 0) return target
  const scroller = grid(page)
  await scroller.evaluate((el) => (el.scrollTop = 0))
  for (let guard = 0; guard < 1000 && (await target.count()) === 0; guard++) {
    const atEnd = await scroller.evaluate((el) => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return true
      el.scrollTop += el.clientHeight / 2
      return false
    })
    if (atEnd) break
    await page.waitForTimeout(30)
  }
  return target
}

/**
 * Ticks a row's checkbox, and no other. The check is repeated until the box reads as checked: a click
 * that lands while the table is still re-laid out (the detail pane opening narrows it and scrolls the
 * open row into view) is refused by Playwright's hit test, and a box that never ticks still fails. The
 * selection must then hold exactly one image more than before, so a tick that reached another image
 * fails here, by name, rather than as a later step waiting for a button that never appears.
 */
export async function checkRow(page: Page, reference: string): Promise<void> {
  const before = await selectedCount(page)
  await expect(async () => {
    const box = (await showRow(page, reference)).getByRole('checkbox')
    await box.check({ timeout: 2_000 })
    await expect(box).toBeChecked({ timeout: 1_000 })
  }).toPass({ timeout: 15_000 })
  await expect(page.locator('.selection-count'), `only ${reference} was ticked`).toHaveText(
    new RegExp(`^${before + 1} selected`)
  )
}

/** How many images are selected, from the toolbar (which shows no count when none is). */
async function selectedCount(page: Page): Promise<number> {
  const count = page.locator('.selection-count')
  if ((await count.count()) === 0) return 0
  return Number((await count.innerText()).replace(/[^\d].*$/s, ''))
}

export function detailPane(page: Page): Locator {
  return page.locator('aside.detail-pane')
}

/** Every reference in the table, in screen order, scrolling through the virtualised rows. */
export async function tableReferences(page: Page): Promise<string[]> {
  const scroller = grid(page)
  await scroller.evaluate((el) => (el.scrollTop = 0))
  const seen = new Map<number, string>()
  for (let guard = 0; guard < 1000; guard++) {
    const batch = await scroller.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('.grid-body [role="row"]')].map(
        (r) => [Number(r.getAttribute('aria-rowindex')), r.dataset.reference ?? ''] as const
      )
    )
    for (const [index, reference] of batch) seen.set(index, reference)
    const done = await scroller.evaluate((el) => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return true
      el.scrollTop += el.clientHeight
      return false
    })
    if (done) break
    await page.waitForTimeout(30)
  }
  await scroller.evaluate((el) => (el.scrollTop = 0))
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, reference]) => reference)
}
