// A database file msb left empty (0 bytes) is reported as empty or damaged: one clear screen, not a
// "newer msb, read-only" banner under a "Lost contact" alarm.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { expect, test } from './support/test'

// The session key and the server's start belong to serve mode; the desktop app has neither.
test.skip(({ transport }) => transport !== 'serve', 'serve mode only')

test.use({ scenario: null })

test('a 0-byte msb.db shows as an empty or damaged database', async ({ page, explorer }) => {
  if (explorer.transport !== 'serve') return
  const dbPath = explorer.cache.location.dbPath
  mkdirSync(dirname(dbPath), { recursive: true })
  writeFileSync(dbPath, '')
  await page.goto(explorer.url)
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('Could not read the cache')
  await expect(alert).toContainText('empty or damaged')
  await page.waitForTimeout(1_500)
  await expect(page.getByText(/newer msb/)).toHaveCount(0)
  await expect(page.getByText(/Lost contact/)).toHaveCount(0)
  await page.screenshot({ path: test.info().outputPath('empty-database.png') })
})
