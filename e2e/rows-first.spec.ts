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

test('the first screen comes before the whole list, which then takes its place', async ({ page, explorer }) => {
  if (explorer.transport !== 'serve') return test.skip(true, 'serve transport only')
  // A cache larger than the first screen, made from this one: the server's first rows cut to five.
  let firstFive: string[] = []
  let total = 0
  await page.route('**/api/firstRows', async (route) => {
    const response = await route.fetch()
    const body = (await response.json()) as {
      ok: true
      result: { total: number; images: { reference: string }[]; uses: unknown[] }
    }
    total = body.result.total
    firstFive = body.result.images.slice(0, 5).map((i) => i.reference)
    body.result.images = body.result.images.slice(0, 5)
    body.result.uses = body.result.uses.slice(0, 5)
    await route.fulfill({ response, json: body })
  })
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/api/list', async (route) => {
    await held
    await route.continue()
  })
  await page.goto(explorer.url)

  const rows = grid(page).locator('.grid-body [role="row"]')
  await expect(rows).toHaveCount(5)
  const atRow = (i: number) => grid(page).locator(`.grid-body [aria-rowindex="${i + 2}"]`)
  for (const [i, reference] of firstFive.entries()) await expect(atRow(i)).toHaveAttribute('data-reference', reference)
  // The whole is known; the counts per filter are not yet.
  await expect(page.locator('.result-count')).toHaveText(`${total} images`)
  await expect(page.getByRole('radio', { name: /In use/ })).toContainText('…')

  release()
  await expect(rows).not.toHaveCount(5)
  await expect(page.locator('.result-count')).toHaveText(`${total} images`)
  await expect(page.getByRole('radio', { name: /In use/ })).not.toContainText('…')
  // The same rows open the table: the whole list sorted by the window starts with the first screen.
  for (const [i, reference] of firstFive.entries()) await expect(atRow(i)).toHaveAttribute('data-reference', reference)
})
