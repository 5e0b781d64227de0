// Long operations show how far they have got: the prune dialog shows a determinate progress bar
// while the prune runs (served from the core worker, as `npm run serve` does), then the report.
import { expect, test } from './support/test'

test.use({ worker: true })

interface Seen {
  now: number
  max: number
  text: string
}

test('a prune shows a determinate progress bar while it runs, then its report', async ({ app }) => {
  await app.getByRole('button', { name: 'Prune…' }).first().click()
  const dialog = app.getByRole('dialog', { name: 'Prune the image cache' })
  await expect(dialog.getByTestId('plan-summary')).toBeVisible()
  const files = await dialog.getByTestId('plan-total-bytes').getAttribute('data-bytes')
  expect(Number(files)).toBeGreaterThan(0)

  // Record every state of the bar as the page renders it: it may live for only a few hundred ms.
  await app.evaluate(() => {
    const seen: Seen[] = []
    ;(window as unknown as { seenProgress: Seen[] }).seenProgress = seen
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"]')
      if (!bar) return
      seen.push({
        now: Number(bar.getAttribute('aria-valuenow')),
        max: Number(bar.getAttribute('aria-valuemax')),
        text: bar.getAttribute('aria-valuetext') ?? ''
      })
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
  })
  await dialog.getByRole('button', { name: /^Prune · free/ }).click()
  await expect(app.getByRole('dialog', { name: 'Prune finished' }).getByTestId('prune-report')).toBeVisible()
  const seen = await app.evaluate(() => (window as unknown as { seenProgress: Seen[] }).seenProgress)

  expect(seen.length).toBeGreaterThan(0)
  // Determinate once the files are known: a maximum of two steps per file (moved, removed).
  const known = seen.filter((s) => s.max > 1)
  expect(known.length).toBeGreaterThan(0)
  for (const s of known) {
    expect(s.now).toBeGreaterThanOrEqual(0)
    expect(s.now).toBeLessThanOrEqual(s.max)
  }
  expect(known.some((s) => s.now > 0)).toBe(true)
  expect(seen.map((s) => s.text).join('\n')).toMatch(/Moving files aside|Removed \d+ of \d+ files|waiting briefly/)
})
