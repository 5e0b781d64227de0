// The table is reached with Tab and walked with arrows: no Tab stop per row (copy buttons, checkboxes),
// and the header row is a single stop whose controls the arrow keys move between.
import { expect, grid, test } from './support/test'

test('Tab passes the grid in at most two stops (header, rows), never through a row', async ({ app }) => {
  await grid(app).focus()
  // Shift+Tab from the grid lands before it; Tab from there enters the grid's header, then the rows.
  const stops: string[] = []
  for (let i = 0; i < 6; i++) {
    await app.keyboard.press('Tab')
    stops.push(
      await app.evaluate(() => {
        const el = document.activeElement as HTMLElement
        if (el.closest('.grid-body')) return 'row-control'
        if (el.closest('.grid-head')) return 'header'
        if (el.id === 'image-grid') return 'grid'
        return 'outside'
      })
    )
  }
  expect(stops).not.toContain('row-control')
  expect(stops.filter((s) => s === 'header').length).toBeLessThanOrEqual(1)

  // Arrows move inside the header; Enter on a sort button sorts.
  const header = grid(app).locator('.grid-head [data-header-control]')
  await header.first().focus()
  await app.keyboard.press('ArrowRight')
  await expect(header.nth(1)).toBeFocused()
  await app.keyboard.press('End')
  await expect(header.last()).toBeFocused()
  await app.keyboard.press('Enter')
  await expect(grid(app).getByRole('columnheader', { name: /In use/ })).not.toHaveAttribute('aria-sort', 'none')
})
