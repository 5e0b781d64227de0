// A home with no cache at all is a normal state: a friendly explanation, and the table appears by
// itself once msb stores the first image.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runMsb } from '../src/main/fixtures/msb'
import { writeOciArchive } from '../src/main/fixtures/oci-archive'
import { expect, row, test } from './support/test'

test.use({ scenario: null })

test('an empty cache shows how to fill it, then the first image as soon as msb stores it', async ({ app, explorer }) => {
  const empty = app.getByTestId('empty-state')
  await expect(empty).toBeVisible()
  await expect(empty.getByRole('heading', { name: 'No images cached yet' })).toBeVisible()
  await expect(empty).toContainText('msb pull')
  await expect(empty).toContainText('npm run demo')
  await expect(empty).toContainText(explorer.home)
  await expect(app.getByRole('button', { name: 'Prune…' })).toBeDisabled()
  await app.screenshot({ path: test.info().outputPath('empty-state.png') })

  const archive = join(mkdtempSync(join(tmpdir(), 'ice-e2e-archive-')), 'first.tar')
  writeOciArchive(archive, [{ refName: 'first/image:1', layers: [{ seed: 'first-image', sizeBytes: 4096, files: 1 }] }])
  runMsb(explorer.home, ['load', '-q', '-i', archive])
  await expect(row(app, 'first/image:1')).toBeVisible({ timeout: 5_000 })
  await expect(empty).toHaveCount(0)
})
