// The table and the detail pane show what msb itself reports for the same cache.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { msbJson } from '../src/main/demo/msb'
import { LAYERED_32_REFERENCE } from '../test-support/fixtures/scenarios'
import { detailPane, expect, grid, row, tableReferences, test } from './support/test'

interface MsbListItem {
  reference: string
  digest: string
  size_bytes: number
  layer_count: number
  os: string
  architecture: string
}

interface MsbInspect {
  reference: string
  digest: string
  layers: { diff_id: string; blob_digest: string; position: number; compressed_size_bytes: number | null }[]
}

test('the table lists exactly what `msb image ls` lists, with the same digest, size and layers', async ({
  app,
  explorer
}) => {
  const listed = msbJson<MsbListItem[]>(explorer.home, ['image', 'ls'])
  expect(listed.length).toBeGreaterThan(10)
  await expect(app.getByTestId('schema-line')).toHaveText('msb 0.6 schema (25 migrations)')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', String(listed.length + 1))

  const onScreen = await tableReferences(app)
  expect([...onScreen].sort()).toEqual(listed.map((i) => i.reference).sort())
  expect(new Set(onScreen).size).toBe(onScreen.length)

  // Tall enough for every row to be rendered at once, wide enough for every column.
  await app.setViewportSize({ width: 1920, height: 40 * listed.length + 400 })
  await expect(app.locator('.grid-body [role="row"]')).toHaveCount(listed.length)
  const cells = await app.locator('.grid-body [role="row"]').evaluateAll((rows) =>
    rows.map((r) => ({
      reference: (r as HTMLElement).dataset.reference,
      digest: r.querySelector('.cell-digest code')?.getAttribute('title'),
      size: r.querySelector('.cell-size [title]')?.getAttribute('title'),
      layers: r.querySelector('.cell-layers')?.textContent,
      platform: r.querySelector('.cell-platform')?.textContent
    }))
  )
  const byReference = new Map(cells.map((c) => [c.reference, c]))
  for (const item of listed) {
    expect(byReference.get(item.reference)).toEqual({
      reference: item.reference,
      digest: item.digest,
      size: `${item.size_bytes.toLocaleString('en-US')} bytes`,
      layers: String(item.layer_count),
      platform: `${item.os}/${item.architecture}`
    })
  }
  await expect(app.getByText(`${listed.length} images`, { exact: true })).toBeVisible()
})

test('the layer stack matches `msb image inspect`: position 0 at the bottom', async ({ app, explorer }) => {
  for (const reference of [LAYERED_32_REFERENCE, 'localhost:5000/team/app:1.0']) {
    const inspected = msbJson<MsbInspect>(explorer.home, ['image', 'inspect', reference])
    await app.getByRole('searchbox', { name: 'Search images' }).fill(reference)
    await row(app, reference).click()
    const pane = detailPane(app)
    await expect(pane).toHaveAttribute('data-reference', reference)
    await pane.getByRole('tab', { name: 'Layers' }).click()
    const layers = pane.locator('li.layer')
    await expect(layers).toHaveCount(inspected.layers.length)

    const drawn = await layers.evaluateAll((items) =>
      items.map((li) => ({
        position: Number(li.getAttribute('data-position')),
        diffId: li.getAttribute('data-diff-id'),
        top: li.getBoundingClientRect().top
      }))
    )
    // Drawn top to bottom = highest position first; the base (position 0) is the lowest on screen.
    const topToBottom = [...drawn].sort((a, b) => a.top - b.top)
    const expected = [...inspected.layers].sort((a, b) => b.position - a.position)
    expect(topToBottom.map((l) => [l.position, l.diffId])).toEqual(expected.map((l) => [l.position, l.diff_id]))
    await expect(pane.locator('li.layer[data-position="0"] .layer-role')).toHaveText('base')

    for (const layer of inspected.layers) {
      const li = pane.locator(`li.layer[data-position="${layer.position}"]`)
      await expect(li.locator('code[title]').first()).toHaveAttribute('title', layer.diff_id)
      await expect(li.locator('code[title]').nth(1)).toHaveAttribute('title', layer.blob_digest)
    }
    // msb 0.6 never records EROFS sizes; the pane shows the size of the layer's file on disk instead.
    for (const layer of inspected.layers) {
      const bytes = statSync(join(explorer.home, 'cache', 'layers', `${layer.diff_id.replace(':', '_')}.erofs`)).size
      const erofs = pane
        .locator(`li.layer[data-position="${layer.position}"] dl.layer-facts > div`)
        .filter({ hasText: 'EROFS' })
        .locator('dd span')
      await expect(erofs).toHaveAttribute('title', `${bytes.toLocaleString('en-US')} bytes`)
    }
  }
})

test('sorting on every column and filtering keep the row set consistent', async ({ app, explorer }) => {
  const listed = msbJson<MsbListItem[]>(explorer.home, ['image', 'ls'])
  await app.setViewportSize({ width: 1920, height: 1080 })
  const head = app.locator('.grid-head')
  for (const name of [
    'Reference',
    'Digest',
    'Size',
    'Frees',
    'Shared',
    'Layers',
    'Platform',
    'Built',
    'Pulled',
    'Last used',
    'In use'
  ]) {
    const header = head.getByRole('columnheader', { name })
    await header.getByRole('button').click()
    await expect(header).toHaveAttribute('aria-sort', /ascending|descending/)
  }
  // The whole header cell sorts (its right edge, away from the words); a new order starts at its top.
  const scrolled = await grid(app).evaluate((el) => {
    el.scrollTop = 400
    return el.scrollTop
  })
  expect(scrolled).toBeGreaterThan(0)
  const layersHeader = head.getByRole('columnheader', { name: 'Layers' })
  const box = (await layersHeader.boundingBox())!
  await app.mouse.click(box.x + box.width - 3, box.y + box.height - 3)
  await expect(layersHeader).toHaveAttribute('aria-sort', 'descending')
  await expect.poll(() => grid(app).evaluate((el) => el.scrollTop)).toBe(0)
  await head.getByRole('columnheader', { name: 'Size' }).getByRole('button').click()
  const sizes = await tableReferences(app)
  const bySize = new Map(listed.map((i) => [i.reference, i.size_bytes]))
  const ordered = sizes.map((r) => bySize.get(r) ?? 0)
  const direction = await head.getByRole('columnheader', { name: 'Size' }).getAttribute('aria-sort')
  const sorted = [...ordered].sort((a, b) => (direction === 'ascending' ? a - b : b - a))
  expect(ordered).toEqual(sorted)

  await app.getByRole('radio', { name: /^In use/ }).click()
  const inUse = await tableReferences(app)
  expect(inUse).toContain('localhost:5000/team/app:1.0')
  expect(inUse).toContain('alpine')
  expect(inUse).not.toContain('busybox')
  await app.getByRole('radio', { name: /^Unused/ }).click()
  const unused = await tableReferences(app)
  expect(unused.length + inUse.length).toBe(listed.length)
})
