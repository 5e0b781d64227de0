// Removing images through the confirmation dialog, checked against what msb lists afterwards.
import { markInUse } from '../src/main/demo/build-cache'
import { msbJson } from '../src/main/demo/msb'
import { checkRow, detailPane, expect, row, tableReferences, test } from './support/test'

const listed = (home: string) => msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)

test('bulk removal asks first, shows what goes, and removes exactly the chosen images', async ({ app, explorer }) => {
  const chosen = ['ghcr.io/acme/tool:1', 'ghcr.io/acme/tool:1.2']
  const before = listed(explorer.home)
  for (const reference of chosen) await checkRow(app, reference)
  await expect(app.getByText('2 selected')).toBeVisible()

  await app.getByRole('button', { name: 'Remove 2 images…' }).click()
  const dialog = app.getByRole('dialog', { name: 'Remove 2 images?' })
  await expect(dialog).toHaveAttribute('aria-modal', 'true')
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await expect(dialog.getByTestId('plan-references').locator('li')).toHaveText(chosen, { useInnerText: false })

  // Cancel changes nothing.
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  expect(listed(explorer.home)).toEqual(before)

  await app.getByRole('button', { name: 'Remove 2 images…' }).click()
  await dialog.getByRole('button', { name: /^Remove · free/ }).click()
  await expect(dialog).toBeHidden()
  await expect(app.getByTestId('toast-success')).toContainText('Removed 2 images')

  const after = listed(explorer.home)
  expect(after.sort()).toEqual(before.filter((r) => !chosen.includes(r)).sort())
  await expect(row(app, chosen[0])).toHaveCount(0)
  // Read again until it holds: a scroll through the rows that a reload overtakes mixes the two lists.
  await expect.poll(async () => (await tableReferences(app)).sort(), { timeout: 15_000 }).toEqual(after.sort())
  await expect(app.getByText('selected')).toHaveCount(0)
})

test('an image a sandbox uses needs force, which names the sandbox and what happens to its data', async ({
  app,
  explorer
}) => {
  const reference = 'python:3.12'
  // A sandbox starts on this image while the explorer is open; the live refresh picks it up.
  markInUse(explorer.home, reference, { name: 'e2e-runner', status: 'Running' })
  await expect(row(app, reference).locator('.cell-inUse')).toContainText('e2e-runner', { timeout: 5_000 })

  await row(app, reference).click()
  await expect(detailPane(app)).toContainText('e2e-runner')
  await detailPane(app).getByRole('button', { name: 'Remove…' }).click()

  const dialog = app.getByRole('dialog', { name: `Remove ${reference}?` })
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  const warning = dialog.getByTestId('in-use-warning')
  await expect(warning).toContainText('e2e-runner')
  await expect(warning).toContainText('stays held by the sandbox until the sandbox is gone')
  const confirm = dialog.getByRole('button', { name: /Remove/ }).last()
  await expect(confirm).toBeDisabled()

  await warning.getByRole('checkbox').check()
  await expect(dialog.getByTestId('held-by')).toContainText('e2e-runner')
  // The reference is listed once, under References; Kept names what stays: its data, held by the sandbox.
  await expect(dialog.getByTestId('plan-references')).toContainText(reference)
  const kept = dialog.getByTestId('plan-kept')
  await kept.evaluate((el) => el.closest('details')?.setAttribute('open', ''))
  await expect(kept).toContainText(`the data of ${reference} — held by sandbox e2e-runner (Running) until it is gone`)
  await app.screenshot({ path: test.info().outputPath('force-remove.png') })
  await dialog.getByRole('button', { name: /^Force remove/ }).click()
  await expect(dialog).toBeHidden()
  await expect(app.getByTestId('toast-success')).toContainText(reference)
  await expect(app.getByTestId('toast-success')).toContainText('e2e-runner')

  expect(listed(explorer.home)).not.toContain(reference)
  await expect(row(app, reference)).toHaveCount(0)
  await expect(detailPane(app)).toHaveCount(0)
})
