// The whole flow without a mouse: search, move, open, select, remove with confirmation, close.
import { msbJson } from '../src/main/demo/msb'
import { detailPane, expect, grid, test } from './support/test'

test('keyboard only: / search, arrows, Enter, Space, Delete, focus trap, Escape', async ({ app, explorer }) => {
  const k = app.keyboard
  const search = app.getByRole('searchbox', { name: 'Search images' })
  await expect(grid(app)).toBeVisible()
  // On a loaded machine the window may not have focus yet when the first key is pressed: press again
  // until it has (the shortcut itself must work every time it reaches the page).
  await expect(async () => {
    await app.locator('body').focus()
    await k.press('/')
    await expect(search).toBeFocused({ timeout: 1_000 })
  }).toPass({ timeout: 15_000 })
  await k.type('acme/tool')
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '4')

  // Enter in the search box moves into the table, on the first row.
  await k.press('Enter')
  await expect(grid(app)).toBeFocused()
  const active = async () => {
    const id = await grid(app).getAttribute('aria-activedescendant')
    return id ? app.locator(`#${id}`).getAttribute('data-reference') : null
  }
  const first = await active()
  expect(first).not.toBeNull()
  await k.press('ArrowDown')
  const second = await active()
  expect(second).not.toBe(first)
  await k.press('ArrowUp')
  expect(await active()).toBe(first)
  await k.press('ArrowDown')

  await k.press('Enter')
  await expect(detailPane(app)).toHaveAttribute('data-reference', second!)
  await k.press('ArrowDown')
  const third = await active()
  await expect(detailPane(app)).toHaveAttribute('data-reference', third!)
  await k.press('Escape')
  await expect(detailPane(app)).toHaveCount(0)
  await expect(grid(app)).toBeFocused()

  // Space checks the active row; Delete opens the removal of the checked rows.
  await k.press('Space')
  await expect(app.locator(`[role="row"][data-reference="${third}"]`)).toHaveAttribute('aria-selected', 'true')
  await k.press('Delete')
  const dialog = app.getByRole('dialog', { name: `Remove ${third}?` })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()

  // Tab stays inside the dialog.
  for (let i = 0; i < 12; i++) {
    await k.press('Tab')
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true)
  }
  await k.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(grid(app)).toBeFocused()

  // Again, this time confirm: Tab from Cancel reaches the Remove button.
  await k.press('Delete')
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await expect(dialog.getByRole('button', { name: /^Remove · free/ })).toBeEnabled()
  await k.press('Tab')
  await expect(dialog.getByRole('button', { name: /^Remove · free/ })).toBeFocused()
  await k.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(app.getByTestId('toast-success')).toContainText(third!)

  const listed = msbJson<{ reference: string }[]>(explorer.home, ['image', 'ls']).map((i) => i.reference)
  expect(listed).not.toContain(third)
  expect(listed).toContain(first)
  await expect(grid(app)).toHaveAttribute('aria-rowcount', '3')
})
