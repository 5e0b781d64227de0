// The table is one Tab stop (the WAI-ARIA grid pattern): Tab enters it once, the next Tab leaves it,
// never through a header control, a row's checkbox or a copy button; arrows move inside it, from the
// rows up into the header row, between header cells, and Enter sorts by the header in focus.
import type { Page } from '@playwright/test'
import { expect, grid, test } from './support/test'

/** Where focus is: outside the grid, on the grid itself (the rows' cursor), or on a header control. */
function focusPlace(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    const gridEl = document.getElementById('image-grid')
    if (!el || !gridEl || !gridEl.contains(el)) return 'outside'
    if (el === gridEl) return 'rows'
    if (el.closest('.grid-head')) return `header:${el.getAttribute('aria-label') ?? el.textContent ?? ''}`
    return 'row-control'
  })
}

/** Presses Tab (or Shift+Tab) from wherever focus is and says where it went. */
async function tab(page: Page, back = false): Promise<string> {
  await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
  return focusPlace(page)
}

test('the grid is one Tab stop: Tab enters it, the next Tab leaves it, both ways', async ({ app }) => {
  await expect(grid(app).locator('.grid-body [role="row"]').first()).toBeVisible()
  await grid(app).focus()
  // The element just before the grid, then forward through it.
  expect(await tab(app, true)).toBe('outside')
  // Marked rather than compared by its HTML: its contents may change meanwhile (a count filling in).
  await app.evaluate(() => (document.activeElement as HTMLElement | null)?.setAttribute('data-before-grid', ''))
  expect(await tab(app)).toBe('rows')
  expect(await tab(app), 'the next Tab leaves the grid').toBe('outside')
  // And backwards: one stop in the grid, then the element before it again.
  expect(await tab(app, true)).toBe('rows')
  expect(await tab(app, true), 'Shift+Tab leaves the grid').toBe('outside')
  expect(await app.evaluate(() => document.activeElement?.hasAttribute('data-before-grid'))).toBe(true)
})

test('arrows reach the header from the first row; Enter on a header sorts; the header is still one stop', async ({
  app
}) => {
  await expect(grid(app).locator('.grid-body [role="row"]').first()).toBeVisible()
  await grid(app).focus()
  await app.keyboard.press('Home')
  await expect(grid(app)).toHaveAttribute('aria-activedescendant', 'image-row-0')
  await app.keyboard.press('ArrowUp')
  expect(await focusPlace(app)).toMatch(/^header:/)

  // Left and right walk the header cells; Home and End go to either end.
  await app.keyboard.press('Home')
  expect(await focusPlace(app)).toBe('header:Select all shown images')
  await app.keyboard.press('ArrowRight')
  expect(await focusPlace(app)).toMatch(/^header:Reference/)
  await app.keyboard.press('ArrowLeft')
  expect(await focusPlace(app)).toBe('header:Select all shown images')
  await app.keyboard.press('End')
  expect(await focusPlace(app)).toMatch(/^header:In use/)
  const inUse = grid(app).getByRole('columnheader', { name: /In use/ })
  await expect(inUse).toHaveAttribute('aria-sort', 'none')
  await app.keyboard.press('Enter')
  await expect(inUse).not.toHaveAttribute('aria-sort', 'none')
  await app.keyboard.press('Space')
  await expect(inUse).toHaveAttribute('aria-sort', /ascending|descending/)

  // From the header the grid is still a single stop: Tab leaves, Shift+Tab returns to the header.
  expect(await tab(app)).toBe('outside')
  expect(await tab(app, true)).toMatch(/^header:In use/)
  expect(await tab(app, true)).toBe('outside')
  expect(await tab(app)).toMatch(/^header:In use/)

  // ArrowDown goes back to the rows, on the first row.
  await app.keyboard.press('ArrowDown')
  expect(await focusPlace(app)).toBe('rows')
  await expect(grid(app)).toHaveAttribute('aria-activedescendant', 'image-row-0')
})
