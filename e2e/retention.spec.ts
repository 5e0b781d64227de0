// Retention rules in the prune dialog: the preview follows the inputs as they change, names each
// reference chosen and why, states the exact bytes; the saved CSV is that preview; the prune then
// removes exactly the chosen references, and msb lists the rest. The last-use times are written as
// msb writes them (image_ref.updated_at), since a test cannot wait weeks.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import Database from 'better-sqlite3'
import { msbTimestamp } from '../src/main/demo/build-cache'
import { msbJson } from '../src/main/demo/msb'
import { expect, grid, test } from './support/test'

const DAY = 86_400_000
const listed = (home: string) => msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)

const LAST_USED_DAYS: Record<string, number> = {
  'docker.io/library/python:3.12-slim': 41,
  'python:3.12': 2,
  'docker.io/library/redis:7': 100,
  'docker.io/library/postgres:16': 200 // a snapshot pins it
}

test.beforeEach(async ({ explorer, app }) => {
  const db = new Database(join(explorer.home, 'db', 'msb.db'))
  const update = db.prepare('UPDATE image_ref SET updated_at = ? WHERE reference = ?')
  for (const [reference, days] of Object.entries(LAST_USED_DAYS)) {
    update.run(msbTimestamp(new Date(Date.now() - days * DAY - 60_000)), reference)
  }
  db.close()
  await app.reload()
  await expect(grid(app)).toBeVisible()
})

test('rules preview live, explain each choice, save as CSV, and prune exactly what they chose', async ({
  app,
  explorer
}) => {
  const before = listed(explorer.home)
  await app.getByRole('button', { name: 'Prune…' }).first().click()
  const dialog = app.getByRole('dialog', { name: 'Prune the image cache' })
  await dialog.getByText('Rules', { exact: true }).click()
  await expect(dialog.getByRole('radio', { name: /^Rules/ })).toBeChecked()

  const chosen = dialog.getByTestId('rules-chosen')
  const why = (reference: string) => chosen.locator(`tr[data-reference="${reference}"] td`).nth(1)
  // The default rule, unused for more than 30d.
  await expect(why('docker.io/library/python:3.12-slim')).toHaveText('unused for 41 days')
  await expect(why('docker.io/library/redis:7')).toHaveText('unused for 100 days')
  await expect(chosen.locator('tr[data-reference="docker.io/library/postgres:16"]')).toHaveCount(0)
  await expect(chosen.locator('tbody tr')).toHaveCount(2)

  // Protect redis: the preview follows.
  await dialog.getByLabel('Never remove (patterns)').fill('docker.io/library/redis:*')
  await expect(chosen.locator('tbody tr')).toHaveCount(1)
  await expect(dialog.getByTestId('plan-kept')).toContainText(
    'docker.io/library/redis:7 — matches keep pattern docker.io/library/redis:*'
  )

  // Keep the last one of each repository instead of a duration.
  const unusedFor = dialog.getByLabel('Unused for more than')
  await unusedFor.fill('')
  await dialog.getByLabel('Keep the most recent, per repository').fill('1')
  await expect(why('docker.io/library/python:3.12-slim')).toHaveText(
    '2nd most recent of docker.io/library/python; matches no keep pattern'
  )

  // A duration that does not read: said inline, nothing to confirm.
  await unusedFor.fill('30 days')
  await expect(dialog.getByRole('alert')).toContainText('"30 days" is not a duration')
  await expect(dialog.getByRole('button', { name: /^Prune · free|Nothing to prune/ })).toBeDisabled()

  // Both rules: python:3.12-slim is the 2nd most recent AND unused for over 30 days.
  await unusedFor.fill('30d')
  await expect(chosen.locator('tbody tr')).toHaveCount(1)
  await expect(why('docker.io/library/python:3.12-slim')).toHaveText(
    'unused for 41 days; 2nd most recent of docker.io/library/python; matches no keep pattern'
  )
  const exact = Number(await dialog.getByTestId('rules-exact-bytes').getAttribute('data-bytes'))
  expect(exact).toBeGreaterThan(0)
  expect(Number(await dialog.getByTestId('plan-total-bytes').getAttribute('data-bytes'))).toBe(exact)

  // The saved CSV is this preview: the chosen reference with why, bytes summing to the total.
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Save CSV' }).click()
  ])
  expect(download.suggestedFilename()).toBe('prune-preview.csv')
  const csv = readFileSync(await download.path(), 'utf8')
    .trimEnd()
    .split('\r\n')
  expect(csv).toContain(
    'delete,reference,docker.io/library/python:3.12-slim,,unused for 41 days; 2nd most recent of docker.io/library/python; matches no keep pattern'
  )
  expect(csv.slice(1).reduce((n, line) => n + Number(line.split(',')[3] || 0), 0)).toBe(exact)

  await dialog.getByRole('button', { name: /^Prune · free/ }).click()
  const done = app.getByRole('dialog', { name: 'Prune finished' })
  await expect(done.getByTestId('prune-no-differences')).toBeVisible()
  expect(Number(await done.locator('tr[data-field="bytesReclaimed"] td[data-value]').getAttribute('data-value'))).toBe(
    exact
  )
  expect(listed(explorer.home).sort()).toEqual(before.filter((r) => r !== 'docker.io/library/python:3.12-slim').sort())
})

test('the table shows how long each image has been unused and sorts by it', async ({ app }) => {
  await app.setViewportSize({ width: 1700, height: 800 })
  const header = grid(app).getByRole('columnheader', { name: /Unused for/ })
  await expect(header).toBeVisible()
  await header.click()
  const first = grid(app).locator('.grid-body [role="row"]').first()
  await expect(first).toHaveAttribute('data-reference', 'docker.io/library/postgres:16')
  await expect(first).toContainText('200 days')
})

test('the disk-usage view saves as JSON', async ({ app }) => {
  await app.getByRole('tab', { name: /Disk usage/ }).click()
  const [download] = await Promise.all([
    app.waitForEvent('download'),
    app.getByRole('button', { name: 'Save JSON' }).click()
  ])
  expect(download.suggestedFilename()).toBe('disk-usage.json')
  const usage = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    images: { reference: string }[]
    totalBytes: number
  }
  expect(usage.images.map((i) => i.reference)).toContain('docker.io/library/redis:7')
  expect(usage.totalBytes).toBeGreaterThan(0)
})

test('the Rules choice, its inputs and preview have no serious or critical axe violation', async ({ app }) => {
  test.setTimeout(120_000)
  await app.getByRole('button', { name: 'Prune…' }).first().click()
  const dialog = app.getByRole('dialog', { name: 'Prune the image cache' })
  await dialog.getByText('Rules', { exact: true }).click()
  await expect(dialog.getByTestId('rules-chosen')).toBeVisible()
  const results = await new AxeBuilder({ page: app })
    .include('[role="dialog"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help}`)
  expect(serious).toEqual([])
})
