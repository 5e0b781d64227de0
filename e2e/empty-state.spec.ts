// A home with no cache at all is a normal state: a friendly explanation, and the table appears by
// itself once msb stores the first image. Where msb from npm is installed, one click builds a demo
// cache in a temporary home and the explorer switches to it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { msbJson, runMsb } from '../src/main/demo/msb'
import { writeOciArchive } from '../src/main/demo/oci-archive'
import { expect, row, tableReferences, test } from './support/test'

test.use({ scenario: null })

test('an empty cache shows how to fill it, then the first image as soon as msb stores it', async ({
  app,
  explorer
}) => {
  const empty = app.getByTestId('empty-state')
  await expect(empty).toBeVisible()
  await expect(empty.getByRole('heading', { name: 'No images cached yet' })).toBeVisible()
  await expect(empty).toContainText('msb pull')
  await expect(empty.getByRole('button', { name: 'Build a demo cache' })).toBeEnabled()
  await expect(empty).toContainText('never touched')
  await expect(empty).toContainText(explorer.home)
  await expect(app.getByRole('button', { name: 'Prune…' })).toBeDisabled()
  await app.screenshot({ path: test.info().outputPath('empty-state.png') })

  const archiveDir = mkdtempSync(join(tmpdir(), 'ice-e2e-archive-'))
  const archive = join(archiveDir, 'first.tar')
  writeOciArchive(archive, [{ refName: 'first/image:1', layers: [{ seed: 'first-image', sizeBytes: 4096, files: 1 }] }])
  runMsb(explorer.home, ['load', '-q', '-i', archive])
  rmSync(archiveDir, { recursive: true, force: true })
  await expect(row(app, 'first/image:1')).toBeVisible({ timeout: 5_000 })
  await expect(empty).toHaveCount(0)
})

test('the demo button builds a demo cache with msb and the table lists its references', async ({ app, explorer }) => {
  const empty = app.getByTestId('empty-state')
  const button = empty.getByRole('button', { name: 'Build a demo cache' })
  try {
    // The server runs in this process and msb's build blocks it, so polling from here could miss the
    // progress state: the page itself records whether it showed it.
    const showedProgress = app.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          const seen = () => {
            const busy = [...document.querySelectorAll('button')].find(
              (b) => b.textContent === 'Building the demo cache…'
            )
            return busy !== undefined && busy.disabled
          }
          const observer = new MutationObserver(() => {
            if (!seen()) return
            observer.disconnect()
            resolve(true)
          })
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
        })
    )
    await button.click()
    expect(await showedProgress).toBe(true)
    await expect(empty).toHaveCount(0, { timeout: 30_000 })
    // The server's core moved to the demo home; the user's home was left alone.
    const status = await explorer.status()
    const demoHome = status.home
    expect(demoHome).not.toBe(explorer.home)
    expect(status).toMatchObject({ home: demoHome, demoAvailable: true })
    const listed = msbJson<Array<{ reference: string }>>(demoHome, ['image', 'ls']).map((i) => i.reference)
    expect(listed.length).toBeGreaterThan(0)
    await expect(app.getByText(`${listed.length} images`, { exact: true })).toBeVisible()
    // Read again until it holds: a scroll through the rows that a reload overtakes mixes the two lists.
    await expect.poll(async () => (await tableReferences(app)).sort(), { timeout: 15_000 }).toEqual([...listed].sort())
    // Built with the newest msb installed (0.7.2): the header names the schema line, the table the snapshot groups.
    await expect(app.getByTestId('schema-line')).toHaveText('msb 0.7 schema (27 migrations)')
    await expect(row(app, 'docker.io/library/postgres:16').locator('.in-use-names')).toHaveText(
      'db:pg-before-migration'
    )

    // The way back: the previous home again, and the demo deleted from the temporary folder.
    const banner = app.getByTestId('demo-banner')
    await expect(banner).toContainText(demoHome)
    await banner.getByRole('button', { name: `Back to ${explorer.home}` }).click()
    await expect(app.getByTestId('empty-state')).toBeVisible()
    await expect(banner).toHaveCount(0)
    expect((await explorer.status()).home).toBe(explorer.home)
    expect(existsSync(demoHome)).toBe(false)
  } finally {
    // explorer.close() removes the home it made; the demo home is ours to remove.
    const current = (await explorer.status().catch(() => null))?.home
    if (current && current !== explorer.home) rmSync(current, { recursive: true, force: true })
  }
})
