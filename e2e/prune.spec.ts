// Prune: the preview's numbers are what the prune then reports, and msb agrees with the result.
import { msbJson } from '../src/main/demo/msb'
import { expect, row, tableReferences, test } from './support/test'
import type { Page } from '@playwright/test'

const listed = (home: string) => msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)

async function count(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? ''
  return Number(text.replace(/[^0-9]/g, ''))
}

test('the prune preview equals the report, and msb lists what the preview kept', async ({ app, explorer }) => {
  const before = listed(explorer.home)
  await app.getByRole('button', { name: 'Prune…' }).first().click()
  const dialog = app.getByRole('dialog', { name: 'Prune the image cache' })
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await expect(dialog.getByRole('radio', { name: /Unused images/ })).toBeChecked()
  await expect(dialog.getByTestId('plan-summary')).toBeVisible()

  const planned = {
    references: await dialog.getByTestId('plan-references').locator('li').allTextContents(),
    manifests: await count(app, 'plan-count-manifests'),
    layers: await count(app, 'plan-count-layers'),
    fsmeta: await dialog.getByTestId('plan-files-fsmeta').locator('li').count(),
    vmdk: await dialog.getByTestId('plan-files-vmdk').locator('li').count(),
    bytes: Number(await dialog.getByTestId('plan-total-bytes').getAttribute('data-bytes'))
  }
  const kept = await dialog.getByTestId('plan-kept').locator('li').allTextContents()
  expect(planned.references.length).toBeGreaterThan(0)
  expect(planned.bytes).toBeGreaterThan(0)
  // In-use images (and those a snapshot pins) are kept, with the reason.
  expect(kept.some((k) => k.startsWith('localhost:5000/team/app:1.0') && k.includes('web-1'))).toBe(true)
  expect(planned.references).not.toContain('localhost:5000/team/app:1.0')

  await dialog.getByRole('button', { name: /^Prune · free/ }).click()
  const done = app.getByRole('dialog', { name: 'Prune finished' })
  const report = done.getByTestId('prune-report')
  await expect(report).toBeVisible()
  const reported = async (field: string) =>
    Number(await report.locator(`tr[data-field="${field}"] td[data-value]`).getAttribute('data-value'))
  expect(await reported('imageRefsRemoved')).toBe(planned.references.length)
  expect(await reported('manifestsRemoved')).toBe(planned.manifests)
  expect(await reported('layersRemoved')).toBe(planned.layers)
  expect(await reported('fsmetaRemoved')).toBe(planned.fsmeta)
  expect(await reported('vmdkRemoved')).toBe(planned.vmdk)
  expect(await reported('bytesReclaimed')).toBe(planned.bytes)
  await expect(done.getByTestId('prune-no-differences')).toBeVisible()

  const after = listed(explorer.home)
  expect(after.sort()).toEqual(before.filter((r) => !planned.references.includes(r)).sort())

  await done.getByRole('button', { name: 'Done' }).click()
  await expect(done).toBeHidden()
  await expect(row(app, planned.references[0])).toHaveCount(0)
  // Read again until it holds: a scroll through the rows that a reload overtakes mixes the two lists.
  await expect.poll(async () => (await tableReferences(app)).sort(), { timeout: 15_000 }).toEqual(after.sort())

  // Nothing left to prune now.
  await app.getByRole('button', { name: 'Prune…' }).first().click()
  await expect(app.getByRole('button', { name: 'Nothing to prune' })).toBeDisabled()
})

test('a dangling-only prune keeps every tagged image', async ({ app, explorer }) => {
  const before = listed(explorer.home)
  await app.getByRole('button', { name: 'Prune…' }).first().click()
  const dialog = app.getByRole('dialog', { name: 'Prune the image cache' })
  await dialog.getByText('Dangling data only').click()
  await expect(dialog.getByRole('radio', { name: /Dangling data only/ })).toBeChecked()
  await expect(dialog.getByTestId('plan-summary').or(dialog.getByText('Nothing to prune:'))).toBeVisible()
  const planBytes = await dialog
    .getByTestId('plan-total-bytes')
    .getAttribute('data-bytes')
    .catch(() => null)
  const confirm = dialog.getByRole('button', { name: /^Prune · free|Nothing to prune/ })
  if (await confirm.isEnabled()) {
    await confirm.click()
    const done = app.getByRole('dialog', { name: 'Prune finished' })
    await expect(done.getByTestId('prune-report')).toBeVisible()
    const reclaimed = await done.locator('tr[data-field="bytesReclaimed"] td[data-value]').getAttribute('data-value')
    expect(Number(reclaimed || 0)).toBe(Number(planBytes))
    await done.getByRole('button', { name: 'Done' }).click()
  }
  expect(listed(explorer.home).sort()).toEqual(before.sort())
})
