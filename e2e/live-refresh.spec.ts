// msb changes the cache while the explorer is open: the table follows within a couple of seconds
// and the user's selection, open detail and sort stay as they were.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { msbBinary } from '../src/main/demo/msb'
import { writeOciArchive } from '../src/main/demo/oci-archive'
import { checkRow, detailPane, expect, grid, row, showRow, test } from './support/test'

/** `msb load` in a child process, as a user would run it in another terminal. */
function msbLoadInBackground(home: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(msbBinary(), ['load', '-q', '-i', file], {
      env: { ...process.env, MSB_HOME: home, NO_COLOR: '1' },
      stdio: 'ignore'
    })
    child.on('error', reject)
    child.on('exit', (code) => resolve(code ?? -1))
  })
}

test('an `msb load` in the background appears without losing selection, detail or sort', async ({ app, explorer }) => {
  const newReference = 'registry.example.com/live/arrival:1'
  const archive = join(mkdtempSync(join(tmpdir(), 'ice-e2e-archive-')), 'live.tar')
  writeOciArchive(archive, [
    {
      refName: newReference,
      layers: [{ seed: 'live-refresh-layer', sizeBytes: 12 * 1024, files: 2 }],
      config: { cmd: ['/bin/true'] }
    }
  ])

  await app.locator('.grid-head').getByRole('columnheader', { name: 'Reference' }).getByRole('button').click()
  await checkRow(app, 'busybox')
  await row(app, 'docker.io/library/redis:7').click()
  await expect(detailPane(app)).toHaveAttribute('data-reference', 'docker.io/library/redis:7')
  const rowsBefore = Number(await grid(app).getAttribute('aria-rowcount'))

  expect(await msbLoadInBackground(explorer.home, archive)).toBe(0)
  // Counted from the moment msb is done: the next revision poll (~0.7 s) must pick it up.
  await expect(grid(app)).toHaveAttribute('aria-rowcount', String(rowsBefore + 1), { timeout: 3_000 })
  await expect(await showRow(app, newReference)).toBeVisible()

  await expect((await showRow(app, 'busybox')).getByRole('checkbox')).toBeChecked()
  await expect(row(app, 'busybox')).toHaveAttribute('aria-selected', 'true')
  await expect(detailPane(app)).toHaveAttribute('data-reference', 'docker.io/library/redis:7')
  await expect(app.locator('.grid-head').getByRole('columnheader', { name: 'Reference' })).toHaveAttribute(
    'aria-sort',
    'ascending'
  )
  await expect(app.getByText('1 selected')).toBeVisible()
})
