// msb 0.7.3+ in the window. A home whose schema the explorer does not know, while an installed msb does: the window says its
// changes go through that msb, previews the prune as always, and shows msb's result beside the
// preview. The explorer is told it knows one migration fewer than the fixture's msb 0.6.18 applied,
// and MSB_PATH names that real binary (serve mode only: the core runs in this process).
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { msbBinary, msbJson } from '../src/main/demo/msb'
import { writeMsbJournal } from '../test-support/core/journal-homes'
import { KNOWN_MIGRATIONS, setKnownMigrationsForTesting } from '../src/main/core/database/schema'
import { checkRow, expect, test } from './support/test'

test('a prune on a home the explorer does not know is done by the msb that knows it, beside the preview', async ({
  app,
  explorer
}) => {
  test.skip(explorer.transport !== 'serve', 'the known migrations are set in the process that runs the core')
  const saved = process.env.MSB_PATH
  // msb 0.6.18's 25 migrations, without its last.
  setKnownMigrationsForTesting(KNOWN_MIGRATIONS.slice(0, 24))
  process.env.MSB_PATH = msbBinary('0.6.18')
  try {
    await app.reload()
    await expect(app.getByTestId('writes-through-banner')).toContainText('Changes go through msb 0.6.18')
    await app.getByRole('button', { name: 'Prune…' }).first().click()
    const dialog = app.getByRole('dialog', { name: 'Prune the image cache' })
    await expect(dialog).toContainText('msb image prune -y --format json')
    const planned = await dialog.getByTestId('plan-references').locator('li').allTextContents()
    expect(planned.length).toBeGreaterThan(0)
    await dialog.getByRole('button', { name: /^Prune · free/ }).click()
    const done = app.getByRole('dialog', { name: 'Prune finished' })
    const result = done.getByTestId('delegated-result')
    await expect(result).toContainText('Done by msb 0.6.18')
    await expect(result.locator('tr', { hasText: 'References' })).toContainText(
      `References${planned.length}${planned.length}`
    )
    await expect(done.getByTestId('prune-no-differences')).toBeVisible()
    const left = msbJson<{ reference: string }[]>(explorer.home, ['image', 'ls']).map((i) => i.reference)
    expect(left.filter((r) => planned.includes(r))).toEqual([])
  } finally {
    setKnownMigrationsForTesting(null)
    if (saved === undefined) delete process.env.MSB_PATH
    else process.env.MSB_PATH = saved
  }
})

test('with no msb that knows the home, the window stays read-only and names the msb it needs', async ({
  app,
  explorer
}) => {
  test.skip(explorer.transport !== 'serve', 'the known migrations are set in the process that runs the core')
  const saved = { MSB_PATH: process.env.MSB_PATH, PATH: process.env.PATH }
  setKnownMigrationsForTesting(KNOWN_MIGRATIONS.slice(0, 24))
  delete process.env.MSB_PATH
  process.env.PATH = '/usr/bin:/bin'
  try {
    await app.reload()
    const banner = app.getByTestId('read-only-banner')
    await expect(banner).toContainText('install an msb that knows migration m20260818_000001_sandbox_network_slot')
    await expect(app.getByRole('button', { name: 'Prune…' }).first()).toBeDisabled()
  } finally {
    setKnownMigrationsForTesting(null)
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
})

test('files msb is deleting are their own kind in disk usage, counted once', async ({ app, explorer }) => {
  const cache = join(explorer.home, 'cache')
  const layer = readdirSync(join(cache, 'layers')).find((n) => n.endsWith('.erofs'))!
  // Two journals linking the same file: one inode, one file.
  writeMsbJournal(cache, { files: [`layers/${layer}`] })
  writeMsbJournal(cache, { files: [`layers/${layer}`], preparing: true })
  await app.reload()
  await app.getByRole('tab', { name: 'Disk usage' }).click()
  const row = app.locator('.kind-bars tr[data-kind="deleting"]')
  await expect(row).toContainText('Being deleted by msb')
  await expect(row).toContainText('1 file')
})

test('a removal on a home the explorer does not know is done by msb, and the toast compares it with the preview', async ({
  app,
  explorer
}) => {
  test.skip(explorer.transport !== 'serve', 'the known migrations are set in the process that runs the core')
  const saved = process.env.MSB_PATH
  setKnownMigrationsForTesting(KNOWN_MIGRATIONS.slice(0, 24))
  process.env.MSB_PATH = msbBinary('0.6.18')
  try {
    await app.reload()
    const chosen = ['ghcr.io/acme/tool:1', 'ghcr.io/acme/tool:1.2']
    for (const reference of chosen) await checkRow(app, reference)
    await app.getByRole('button', { name: 'Remove 2 images…' }).click()
    const dialog = app.getByRole('dialog', { name: 'Remove 2 images?' })
    await expect(dialog).toContainText('msb image rm ghcr.io/acme/tool:1 ghcr.io/acme/tool:1.2')
    await dialog.getByRole('button', { name: /^Remove · free/ }).click()
    await expect(app.getByTestId('toast-success')).toContainText(/Done by msb 0\.6\.18: the preview said 2 references/)
    await expect(app.getByTestId('toast-success')).toContainText('msb removed 2')
    const left = msbJson<{ reference: string }[]>(explorer.home, ['image', 'ls']).map((i) => i.reference)
    expect(left.filter((r) => chosen.includes(r))).toEqual([])
  } finally {
    setKnownMigrationsForTesting(null)
    if (saved === undefined) delete process.env.MSB_PATH
    else process.env.MSB_PATH = saved
  }
})
