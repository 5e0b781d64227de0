// Heavy work runs in the core worker (out/main/core-worker.js), not on the app's main thread: while a
// prune of 500 images runs, the app's main process keeps answering and the page keeps painting. The
// figures are printed; the assertions compare each stall with the prune's own length, so a prune moved
// onto the main thread (which would stall it for most of the prune) fails. 500 images make a prune of
// seconds, several times the longest stall (1,000 and 2,000 proved no more).
import type { Scenario } from '../../test-support/fixtures/scenarios'
import { desktop } from '../support/desktop'
import { expect, test } from '../support/test'

const IMAGES = 500

function manyImages(count: number): Scenario {
  return {
    entries: Array.from({ length: count }, (_, i) => ({
      reference: `bulk/image-${i}:1`,
      image: {
        layers: [
          { seed: `bulk-shared-${i % 50}`, sizeBytes: 1024 },
          { seed: `bulk-own-${i}`, sizeBytes: 512 }
        ]
      }
    })),
    inUse: [],
    snapshots: []
  }
}

test.use({ scenario: manyImages(IMAGES) })
// The whole test, the fixture's build of its images by msb included (a loaded machine slows it most).
test.describe.configure({ timeout: 240_000 })

test(`the window stays responsive while a prune of ${IMAGES} images runs in the worker`, async ({ app, explorer }) => {
  const standIn = desktop(explorer)
  await expect(
    app
      .getByText(`${IMAGES.toLocaleString('en-US')} images`, { exact: true })
      .or(app.getByText(`${IMAGES} images`, { exact: true }))
  ).toBeVisible({
    timeout: 30_000
  })
  // Disk usage (heavy) already ran in the worker: a second connection is open beside the main thread's.
  await expect
    .poll(async () => (await standIn.app.command<string[]>('openDatabaseFiles')).length, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(2)

  await app.getByRole('button', { name: 'Prune…' }).first().click()
  const dialog = app.getByRole('dialog', { name: 'Prune the image cache' })
  const confirm = dialog.getByRole('button', { name: /^Prune · free/ })
  await expect(confirm).toBeEnabled({ timeout: 60_000 })

  // The page's longest gap between timer ticks (its main thread's longest stall) while the prune runs.
  await app.evaluate(() => {
    const probe = { last: performance.now(), longest: 0, timer: 0 }
    probe.timer = window.setInterval(() => {
      const now = performance.now()
      probe.longest = Math.max(probe.longest, now - probe.last)
      probe.last = now
    }, 10)
    ;(globalThis as unknown as { stallProbe: typeof probe }).stallProbe = probe
  })
  await standIn.app.command('startLoopMonitor')
  const started = Date.now()
  await confirm.click()
  await expect(app.getByRole('dialog', { name: 'Prune finished' })).toBeVisible({ timeout: 180_000 })
  const pruneMs = Date.now() - started
  const main = await standIn.app.command<{ maxMs: number; p99Ms: number }>('stopLoopMonitor')
  const pageStallMs = await app.evaluate(() => {
    const probe = (globalThis as unknown as { stallProbe: { longest: number; timer: number } }).stallProbe
    clearInterval(probe.timer)
    return probe.longest
  })
  console.log(
    `prune of ${IMAGES} images: ${pruneMs} ms; longest stall of the app's main thread ${main.maxMs.toFixed(0)} ms (p99 ${main.p99Ms.toFixed(0)} ms), of the page ${pageStallMs.toFixed(0)} ms`
  )
  expect(pruneMs, 'the prune is long enough for a stall to show').toBeGreaterThan(500)
  expect(main.maxMs).toBeLessThan(pruneMs / 2)
  // The page's own longest stall is mostly re-rendering thousands of rows when the cache changes;
  // it must never last the whole prune.
  expect(pageStallMs).toBeLessThan(pruneMs)
  await expect(app.getByRole('dialog', { name: 'Prune finished' }).getByTestId('prune-report')).toBeVisible()
})
