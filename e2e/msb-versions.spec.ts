// What the window says about the msb that wrote a cache: a schema of a newer msb is browsed read-only
// under a banner naming the msb versions the explorer was tested with, and msb 0.7's snapshot memory
// (`cache/memory/`) is its own kind of file, apart from the images.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from './support/test'

test('a cache migrated by a newer msb is read-only and the banner names the tested msb versions', async ({
  app,
  explorer
}) => {
  const db = new Database(join(explorer.home, 'db', 'msb.db'))
  db.prepare('INSERT INTO seaql_migrations (version, applied_at) VALUES (?, ?)').run(
    'm20261015_000001_guest_clock_config',
    1_800_000_000
  )
  db.close()
  await app.reload()
  const banner = app.getByTestId('read-only-banner')
  await expect(banner).toContainText('m20261015_000001_guest_clock_config')
  await expect(banner).toContainText('0.6.18 and 0.7.2')
  await expect(app.getByTestId('schema-line')).toHaveText('schema of a newer msb (26 migrations; read-only)')
  await expect(app.getByRole('button', { name: 'Prune…' }).first()).toBeDisabled()
})

test('msb 0.7 snapshot memory is its own kind in disk usage, apart from the images', async ({ app, explorer }) => {
  const dir = join(explorer.home, 'cache', 'memory', 'snapshots', 'snap_0123456789abcdef0123456789abcdef')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'ram.bin'), Buffer.alloc(3 * 1024 * 1024, 1))
  await app.reload()
  await app.getByRole('tab', { name: 'Disk usage' }).click()
  const row = app.locator('#usage-by-kind tr[data-kind="memory"]')
  // The rest of the home names the msb command that frees it.
  await expect(app.locator('#usage-whole-home tr[data-kind="memory"]')).toContainText('msb prune')
  await expect(row).toContainText('Snapshot memory')
  await expect(row).toContainText('1 file')
  await expect(app.getByTestId('treemap').locator('.tm-memory')).toBeVisible()
  await expect(app.getByText('Snapshot memory (msb 0.7; never pruned)')).toBeVisible()
})
