// A msb 0.7.8 home in the window (a real msb 0.7.2 home plus 0.7.3's and 0.7.7's migration rows, see
// test-support/core/msb078-home.ts): the window names the "msb 0.7.3 or later" line, and a remove of an image
// a running msb reads (another process holds shared flocks on its lease files) shows the in-use reason.
import { join } from 'node:path'
import { runMsb } from '../src/main/demo/msb'
import { openCache } from '../src/main/core/cache'
import { migrateTo078 } from '../test-support/core/msb078-home'
import { holdSharedLeases } from '../test-support/core/lease-holder'
import { cachePaths } from '../test-support/core/cache-dump'
import { detailPane, expect, row, test } from './support/test'

test('the window names the 0.7.3+ line; removing a leased image says a running msb is using it', async ({
  app,
  explorer
}) => {
  runMsb(explorer.home, ['image', 'ls'], { msb: '0.7.2' })
  migrateTo078(explorer.home)
  await app.reload()
  await expect(app.getByTestId('schema-line')).toHaveText('msb 0.7.3 or later schema (29 migrations)')

  const reference = 'ghcr.io/acme/tool:1.2'
  const cache = openCache({ home: explorer.home, graceMs: 0 })
  const files = cache.removePlan({ references: [reference], force: false }).files.map((f) => f.path)
  cache.close()
  const holder = await holdSharedLeases(files.map((p) => join(explorer.home, 'cache', p)))
  try {
    await app.getByRole('searchbox', { name: 'Search images' }).fill(reference)
    await row(app, reference).click()
    await detailPane(app).getByRole('button', { name: 'Remove…' }).click()
    const dialog = app.getByRole('dialog', { name: `Remove ${reference}?` })
    await dialog.getByRole('button', { name: /^Remove · free/ }).click()
    await expect(dialog.getByRole('alert')).toContainText('active storage operation')
    await expect(dialog.getByRole('alert')).toContainText('a running msb')
  } finally {
    await holder.stop()
  }
  await expect(row(app, reference)).toHaveCount(1)
})

test('on a 0.7.3+ home a snapshot-pinned image is only untagged, and the dialog says so', async ({ app, explorer }) => {
  runMsb(explorer.home, ['image', 'ls'], { msb: '0.7.2' })
  migrateTo078(explorer.home)
  await app.reload()
  const reference = 'ubuntu:24.04'
  const before = cachePaths(explorer.home)
  await app.getByRole('searchbox', { name: 'Search images' }).fill(reference)
  await row(app, reference).click()
  await detailPane(app).getByRole('button', { name: 'Remove…' }).click()
  const dialog = app.getByRole('dialog', { name: `Remove ${reference}?` })
  const warning = dialog.getByTestId('in-use-warning')
  await expect(warning).toContainText('sandbox or snapshot dependency')
  await warning.getByRole('checkbox').check()
  await expect(dialog.getByTestId('untag-only')).toContainText('no file is deleted')
  await dialog.getByRole('button', { name: /^Force remove/ }).click()
  await expect(dialog).toBeHidden()
  await expect(row(app, reference)).toHaveCount(0)
  // Untagged only: not one file left the disk.
  expect(cachePaths(explorer.home)).toEqual(before)
})
