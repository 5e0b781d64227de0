// Another SQLite client beside the open window (issue 26): `sqlite3 msb.db "select …"`, run as a user
// would, must not delete the WAL under the explorer (it did, once the explorer's own checks had dropped
// its locks), and the window goes on showing what msb shows and removing what the user chose.
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { msbJson } from '../src/main/demo/msb'
import { checkImages } from '../test-support/core/image-integrity'
import { checkRow, expect, tableReferences, test } from './support/test'

// The server runs in this process (serve mode), so its locks are this process's in /proc/locks.
test.skip(({ transport }) => transport !== 'serve', 'serve mode only')
// As `npm run serve` has it: the in-process core and the core worker, both with the database open.
test.use({ worker: true })

const listed = (home: string) =>
  msbJson<{ reference: string }[]>(home, ['image', 'ls'])
    .map((i) => i.reference)
    .sort()

function ownLocksOn(path: string): number {
  const inode = String(statSync(path).ino)
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .filter((line) => line.includes(`:${inode} `) && line.split(/\s+/).includes(String(process.pid))).length
}

test('sqlite3 reading beside the window leaves its WAL; the window stays right and removes what msb then misses', async ({
  app,
  explorer
}) => {
  const dbPath = join(explorer.home, 'db', 'msb.db')
  // The page loaded: both cores have read (the list in-process, the sizes in the worker).
  await expect(app.getByRole('alert')).toHaveCount(0)
  const wal = statSync(`${dbPath}-wal`).ino
  expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
  for (let i = 0; i < 3; i++) {
    expect(execFileSync('sqlite3', [dbPath, 'select count(*) from image_ref'], { encoding: 'utf8' }).trim()).toMatch(
      /^\d+$/
    )
  }
  expect(statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.ino).toBe(wal)
  expect(ownLocksOn(dbPath)).toBeGreaterThan(0)

  await app.reload()
  await expect(app.locator('.center-message')).toHaveCount(0, { timeout: 10_000 })
  await expect(app.getByRole('alert')).toHaveCount(0)
  // Read again until it holds: a scroll through the rows that a reload overtakes mixes the two lists.
  await expect.poll(async () => (await tableReferences(app)).sort(), { timeout: 15_000 }).toEqual(listed(explorer.home))

  const chosen = 'ghcr.io/acme/tool:1'
  await checkRow(app, chosen)
  await app.getByRole('button', { name: 'Remove 1 image…' }).click()
  await app
    .getByRole('dialog')
    .getByRole('button', { name: /^Remove · free/ })
    .click()
  await expect(app.getByTestId('toast-success')).toContainText('Removed')
  expect(statSync(`${dbPath}-wal`).ino).toBe(wal)
  const after = listed(explorer.home)
  expect(after).not.toContain(chosen)
  // The table reloads after the toast; its rows are read again until that reload has landed.
  await expect.poll(async () => (await tableReferences(app)).sort(), { timeout: 15_000 }).toEqual(after)
  expect(checkImages(explorer.home).broken).toEqual([])
})
