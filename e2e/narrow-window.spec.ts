// Narrow windows keep what a person decides on in view: the In use column stays inside the visible
// table (no horizontal scrollbar hides it), and a reference is not cut while its cell has room.
import { expect, grid, test } from './support/test'

for (const size of [
  { width: 800, height: 600 },
  { width: 1024, height: 640 }
]) {
  test(`at ${size.width}×${size.height} the In use column is visible and references are not cut needlessly`, async ({
    app
  }) => {
    await app.setViewportSize(size)
    await expect(grid(app).locator('.grid-body [role="row"]').first()).toBeVisible()
    await app.screenshot({ path: test.info().outputPath(`table-${size.width}.png`) })
    const box = (await grid(app).boundingBox())!
    const inUse = (await grid(app)
      .getByRole('columnheader', { name: /In use/ })
      .boundingBox())!
    expect(inUse.x + inUse.width, 'In use column ends inside the grid').toBeLessThanOrEqual(box.x + box.width + 1)
    const scrolls = await grid(app).evaluate((el) => el.scrollWidth > el.clientWidth + 1)
    expect(scrolls, 'no horizontal scrolling').toBe(false)
    // A reference cut with an ellipsis must fill its cell: text wider than the cell, not a fixed cap.
    const cut = await grid(app).evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('.grid-body .cell-reference')]
        .map((cell) => {
          const text = cell.firstElementChild as HTMLElement | null
          if (!text) return null
          const needed = text.scrollWidth
          const shown = text.clientWidth
          return needed > shown + 1 && shown < cell.clientWidth - 40 ? cell.textContent : null
        })
        .filter(Boolean)
    )
    expect(cut, 'references cut although their cell has room').toEqual([])
  })
}
