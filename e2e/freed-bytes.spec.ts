// The bytes a user decides on are the bytes the removal reports: a row's Frees figure, the detail
// pane's and the selection bar's equal the Remove dialog's "Frees" for the same references. That the
// core's figures agree for every reference and random selections is proven by
// src/main/core/writing/freed-bytes.test.ts; here a few references of different kinds show the page puts the
// right figure in each place.
import { checkRow, detailPane, expect, grid, showRow, tableReferences, test } from './support/test'
import type { Page } from '@playwright/test'

async function dialogBytes(page: Page, references: string[]): Promise<number> {
  const dialog = page.getByTestId('remove-dialog')
  await expect(dialog).toBeVisible()
  const force = dialog.getByTestId('in-use-warning').getByRole('checkbox')
  if (await force.count()) await force.check()
  const total = dialog.getByTestId('plan-total-bytes')
  await expect(total).toBeVisible()
  const bytes = Number(await total.getAttribute('data-bytes'))
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  expect(references.length).toBeGreaterThan(0)
  return bytes
}

test('the Frees column and the detail pane show what the removal frees', async ({ app }) => {
  const references = await tableReferences(app)
  // The first row, one tag of three sharing a manifest, and an image a snapshot holds (needs force).
  const sample = [references[0], 'ghcr.io/acme/tool:1', 'docker.io/library/postgres:16']
  for (const reference of sample) {
    expect(references).toContain(reference)
    const target = await showRow(app, reference)
    const shown = Number(await target.getByTestId('freed-bytes').getAttribute('data-bytes'))
    // The virtualised rows may move under the pointer while the pane opens: click until it shows this one.
    await expect(async () => {
      await (await showRow(app, reference)).click()
      await expect(detailPane(app)).toHaveAttribute('data-reference', reference, { timeout: 1_000 })
    }).toPass({ timeout: 10_000 })
    await expect(detailPane(app).getByTestId('detail-freed')).toBeVisible()
    const inPane = Number(await detailPane(app).getByTestId('detail-freed').getAttribute('data-bytes'))
    await detailPane(app).getByRole('button', { name: 'Remove…' }).click()
    const planned = await dialogBytes(app, [reference])
    expect(shown, reference).toBe(planned)
    expect(inPane, `${reference} in the detail pane`).toBe(planned)
  }
})

test('the figure says why it is small: other tags, or a snapshot holding the data', async ({ app }) => {
  // ghcr.io/acme/tool:1 shares its manifest with two other tags.
  const tool = await showRow(app, 'ghcr.io/acme/tool:1')
  await expect(tool.getByTestId('freed-bytes')).toHaveAttribute('title', /the data stays: 2 other tags of this image/)
  await tool.click()
  await expect(detailPane(app).getByTestId('detail-freed')).toContainText('the data stays: 2 other tags of this image')
  await expect(detailPane(app)).toContainText('Unique to this image')
})

test('0 B because the only file it would free is shared: the pane says so in words, beside the number', async ({
  app
}) => {
  // `alpine` and `docker.io/library/alpine:latest` are one name to msb: one metadata file for both, and
  // one image, held by sandbox scratch. Removing either frees nothing.
  for (const [reference, other] of [
    ['alpine', 'docker.io/library/alpine:latest'],
    ['docker.io/library/alpine:latest', 'alpine']
  ]) {
    await expect(async () => {
      await (await showRow(app, reference)).click()
      await expect(detailPane(app)).toHaveAttribute('data-reference', reference, { timeout: 1_000 })
    }).toPass({ timeout: 10_000 })
    const freed = detailPane(app).getByTestId('detail-freed')
    await expect(freed).toContainText('0 B')
    // Visible text, not a tooltip: the other tag named, and why even its metadata file stays.
    const note = freed.locator('.freed-note')
    await expect(note).toBeVisible()
    await expect(note).toHaveText(
      `the data stays: 1 other tag of this image (${other}); held by sandbox scratch; ` +
        `its metadata file stays too: ${other} is the same name to msb`
    )
    await expect(freed).toHaveAttribute('data-bytes', '0')
    // The Frees column says the same (without naming), in its title and to screen readers.
    const cell = (await showRow(app, reference)).getByTestId('freed-bytes')
    await expect(cell).toHaveAttribute('title', /its metadata file stays too: .* is the same name to msb/)
  }
})

test('a selection shows what removing it together frees', async ({ app }) => {
  const references = await tableReferences(app)
  await expect(grid(app)).toBeVisible()
  // Random selections are compared in the core (freed-bytes.test.ts); here, rows of different images and
  // every tag of one image.
  const picks = [references.slice(0, 4), ['ghcr.io/acme/tool:1', 'ghcr.io/acme/tool:1.2', 'ghcr.io/acme/tool:latest']]
  for (const picked of picks) {
    const clear = app.getByRole('button', { name: 'Clear' })
    if (await clear.count()) await clear.click()
    for (const reference of picked) {
      await checkRow(app, reference)
    }
    const shown = app.getByTestId('selection-freed')
    await expect(shown).toHaveAttribute('data-bytes', /\d+/)
    const bytes = Number(await shown.getAttribute('data-bytes'))
    await app.getByRole('button', { name: /^Remove \d+ images?…$/ }).click()
    expect(await dialogBytes(app, picked), picked.join(' ')).toBe(bytes)
  }
})

test('a selection says why its figure is small: the unselected tags of its images, and what holds them', async ({
  app
}) => {
  await expect(grid(app)).toBeVisible()
  // Two of ghcr.io/acme/tool's three tags: the third keeps the image; postgres:16 is held by a snapshot.
  for (const reference of ['ghcr.io/acme/tool:1', 'ghcr.io/acme/tool:1.2', 'docker.io/library/postgres:16']) {
    await checkRow(app, reference)
  }
  const note = app.getByTestId('selection-note')
  await expect(note).toContainText('the data stays: 1 other tag of these images (ghcr.io/acme/tool:latest)')
  await expect(note).toContainText('held by snapshot pg-before-migration')
  // Taking the third tag too: no other tag keeps the image any more, only the snapshot is named.
  await checkRow(app, 'ghcr.io/acme/tool:latest')
  await expect(note).toHaveText('the data stays: held by snapshot pg-before-migration')
})
