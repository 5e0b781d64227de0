// "Dangling" has one meaning: what nothing refers to. The filter lists exactly what the dangling prune
// removes (manifests, layers and stray files as rows of their own kind), and is empty after it.
import { openCache } from '../src/main/core/cache'
import { expect, test } from './support/test'

test('the Dangling data filter shows what the dangling prune removes, and nothing after it', async ({
  app,
  explorer
}) => {
  // The same core on the same home, asked directly: what the dangling prune would remove.
  const core = openCache({ home: explorer.home })
  const plan = core.prunePlan({ scope: { kind: 'dangling' } })
  core.close()
  expect(plan.manifests.length + plan.layers.length).toBeGreaterThan(0)
  await app.getByRole('radio', { name: /Dangling data/ }).click()
  const list = app.getByTestId('dangling-items')
  await expect(list).toBeVisible()
  const shown = async (kind: string) =>
    (
      await list
        .locator(`.dangling-item[data-kind="${kind}"]`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))
    ).sort()
  expect(await shown('manifest')).toEqual([...plan.manifests].sort())
  expect(await shown('layer')).toEqual([...plan.layers].sort())
  // No image reference is listed as dangling (a digest-pinned reference is an image like any other).
  await expect(app.getByRole('grid', { name: 'Cached images' })).toHaveCount(0)
  await app.screenshot({ path: test.info().outputPath('dangling.png') })

  await app.getByRole('button', { name: /^Prune dangling data · free/ }).click()
  const dialog = app.getByRole('dialog')
  await expect(dialog.getByRole('radio', { name: /Dangling data only/ })).toBeChecked()
  await expect(dialog.getByTestId('plan-total-bytes')).toHaveAttribute('data-bytes', String(plan.totalBytes))
  await dialog
    .getByRole('button', { name: /^Prune/ })
    .last()
    .click()
  await expect(dialog).toContainText('Everything matched the preview', { timeout: 10_000 })
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  await expect(app.getByTestId('dangling-list')).toContainText('No dangling data')
  await expect(app.getByRole('radio', { name: /Dangling data/ })).toContainText('0')
})
