// `tsx scripts/bench/ui-dialogs.ts [--images 10000]`: the views that list or draw every image, at N images,
// in Chromium through the serve mode: the bulk Remove dialog for all N images (click → dialog with its list
// painted; → plan summary painted) and the disk-usage treemap (tab click → tiles painted). Timings are taken
// in the page (performance.now to the first frame after the change), so Playwright's round trips don't count.
import { chromium } from '@playwright/test'
import { resolve } from 'node:path'
import { openCache } from '../../src/main/core/cache'
import { startServer } from '../../src/main/serve/http-server'
import { buildRenderer } from '../../e2e/support/build-renderer'
import { BENCH_DIR, ensureFixture } from './fixture-store'
import { load } from './timing'

const images = Number(process.argv[process.argv.indexOf('--images') + 1] || 10000) || 10000

// Clicks `selector`, then resolves with ms to the first frame after `done` (a selector) appears.
const TIME_CLICK = `
  window.__timeClick = (selector, done, timeoutMs) => new Promise((resolve) => {
    const after = (cb) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => cb(performance.now()); c.port2.postMessage(0) })
    const t0 = performance.now()
    const timer = setTimeout(() => { obs.disconnect(); resolve(null) }, timeoutMs)
    const obs = new MutationObserver(() => {
      if (!document.querySelector(done)) return
      obs.disconnect(); clearTimeout(timer)
      after((t) => resolve(t - t0))
    })
    obs.observe(document.body, { childList: true, subtree: true })
    document.querySelector(selector).click()
  })
`

async function main(): Promise<void> {
  const fixture = ensureFixture(images)
  process.stderr.write('building the renderer…\n')
  const staticDir = await buildRenderer(resolve(BENCH_DIR, 'renderer'))
  const cache = openCache({ home: fixture.home })
  const server = await startServer({ api: cache, staticDir })
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu']
  })
  const loadBefore = load()
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })
    const page = await context.newPage()
    await page.addInitScript(TIME_CLICK)
    await page.goto(server.url)
    await page.locator('.grid-body [role=row]').first().waitFor({ timeout: 180_000 })
    await page.waitForTimeout(1000)
    const time = (selector: string, done: string) =>
      page.evaluate<number | null>(`window.__timeClick(${JSON.stringify(selector)}, ${JSON.stringify(done)}, 120000)`)

    const runs: { open: number | null; plan: number | null; map: number | null }[] = []
    for (let i = 0; i < 3; i++) {
      await page.locator('.grid-head input[type=checkbox]').check()
      const open = await time('.selection-actions .button-danger', '[data-testid="remove-dialog"] .chosen-list li')
      // The fixture has images in use: without force the plan is refused and the dialog says why instead.
      const plan = await page.evaluate<number>(`(async () => { const t0 = performance.now();
        const done = '[data-testid="plan-summary"], [data-testid="in-use-warning"]'
        while (!document.querySelector(done) && performance.now() - t0 < 120000) await new Promise((r) => setTimeout(r, 10));
        return performance.now() - t0 })()`)
      await page.keyboard.press('Escape')
      await page.locator('.grid-head input[type=checkbox]').uncheck()
      const map = await time('#tab-usage', '[data-testid="treemap"] .tm-cell')
      await page.locator('#tab-images').click()
      await page.waitForTimeout(300)
      runs.push({ open, plan: (open ?? 0) + plan, map })
    }
    const ms = (n: number | null) => (n === null ? 'timed out' : `${n.toFixed(0)} ms`)
    console.log(
      `Dialogs and treemap at ${fixture.references} images (load average ${loadBefore} before, ${load()} after)`
    )
    console.log('')
    console.log('| measure | runs |')
    console.log('|---|---|')
    console.log(
      `| Remove ${fixture.references} images: click → dialog with its list painted | ${runs.map((r) => ms(r.open)).join(', ')} |`
    )
    console.log(`| … → plan summary or the in-use warning shown | ${runs.map((r) => ms(r.plan)).join(', ')} |`)
    console.log(`| Disk usage tab click → treemap tiles painted | ${runs.map((r) => ms(r.map)).join(', ')} |`)
  } finally {
    await browser.close()
    await server.close()
    cache.close()
  }
}

void main()
