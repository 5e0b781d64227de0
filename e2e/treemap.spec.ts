// The disk-usage treemap groups the cache registry → namespace → repository → tag (beside the rest of the home),
// labels what it shows, zooms
// on click with a breadcrumb back, and every tile does something.
import { expect, test } from './support/test'

test('groups by registry, zooms with a breadcrumb, and every tile acts', async ({ app }) => {
  await app.setViewportSize({ width: 1024, height: 640 })
  await app.getByRole('tab', { name: 'Disk usage' }).click()
  const map = app.getByTestId('treemap')
  await expect(map.locator('.tm-cell').first()).toBeVisible()
  // The top level: registries plus shared layers and other files, and beside the cache the rest of the
  // home (here only msb's database), each labelled.
  const kinds = await map.locator('.tm-cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
  expect(new Set(kinds)).toEqual(new Set(['registry', 'shared', 'other', 'database']))
  // Every tile with room for a label has one; a tile too small for it (the database's bytes now share the
  // map) still carries its name and size in its title and for screen readers.
  for (const cell of await map.locator('.tm-cell').all()) {
    const box = (await cell.boundingBox())!
    if (box.width >= 36 && box.height >= 18) await expect(cell.locator('.tm-name')).toBeVisible()
    else await expect(cell).toHaveAttribute('title', /\S/)
  }
  await app.screenshot({ path: test.info().outputPath('treemap-1024.png') })

  // Zoom: registry → namespace → repository → its tags; the breadcrumb leads back.
  await map.locator('.tm-cell[data-kind="registry"]', { hasText: 'ghcr.io' }).click()
  await expect(app.getByRole('navigation', { name: 'Treemap level' })).toContainText('ghcr.io')
  await map.locator('.tm-cell[data-kind="namespace"]', { hasText: 'acme' }).click()
  await map.locator('.tm-cell[data-kind="repository"]', { hasText: /^tool/ }).click()
  const image = map.locator('.tm-cell[data-kind="image"]').first()
  await expect(image).toContainText(':1')
  await expect(image).toContainText('+2')
  await app.getByRole('navigation', { name: 'Treemap level' }).getByRole('button', { name: 'Home' }).click()
  await expect(map.locator('.tm-cell[data-kind="shared"]')).toBeVisible()

  // Other cache files → the bytes-by-kind table; Shared layers → the images sorted by shared bytes.
  await map.locator('.tm-cell[data-kind="other"]').click()
  await expect(app.locator('#usage-by-kind')).toBeFocused()
  await map.locator('.tm-cell[data-kind="shared"]').click()
  await expect(app.getByRole('grid', { name: 'Cached images' })).toBeVisible()
  await expect(app.getByRole('columnheader', { name: /Shared/ })).toHaveAttribute('aria-sort', 'descending')

  // An image tile opens the image.
  await app.getByRole('tab', { name: 'Disk usage' }).click()
  await map.locator('.tm-cell[data-kind="registry"]', { hasText: 'ghcr.io' }).click()
  await map.locator('.tm-cell[data-kind="namespace"]', { hasText: 'acme' }).click()
  await map.locator('.tm-cell[data-kind="repository"]', { hasText: /^tool/ }).click()
  await map.locator('.tm-cell[data-kind="image"]').first().click()
  await expect(app.locator('aside.detail-pane')).toHaveAttribute('data-reference', /ghcr\.io\/acme\/tool/)
})
