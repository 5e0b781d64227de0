// Rows first: the table shows the list and what is in use as soon as the database is read; the byte
// columns say "measuring" (never a number that may be wrong) until disk usage arrives, and remove
// and prune stay available meanwhile. Usage is held back at the network to make "meanwhile" long.
import { expect, grid, showRow, test } from './support/test'

test('rows and who uses them appear before disk usage, which then fills in', async ({ page, explorer }) => {
  // The usage answer is held back at the network, which only the HTTP transport has.
  if (explorer.transport !== 'serve') return test.skip(true, 'serve transport only')
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/api/usage', async (route) => {
    await held
    await route.continue()
  })
  await page.goto(explorer.url)

  await expect(grid(page).locator('.grid-body [role="row"]').first()).toBeVisible()
  const inUse = await showRow(page, 'localhost:5000/team/app:1.0')
  await expect(inUse).toBeVisible()
  await expect(inUse).toContainText('In use')
  await expect(inUse).toContainText('web-1')
  await expect(page.getByTestId('measuring')).toContainText('Measuring disk usage')
  await expect(grid(page).getByText('measuring').first()).toBeVisible()
  await expect(page.getByTestId('reclaimable')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Prune…' }).first()).toBeEnabled()

  release()
  await expect(page.getByTestId('measuring')).toHaveCount(0)
  await expect(page.getByTestId('reclaimable')).toBeVisible()
  await expect(grid(page).getByText('measuring')).toHaveCount(0)
})
