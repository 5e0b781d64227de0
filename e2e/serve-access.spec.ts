// Serve mode's session key: the page keeps working across reloads in its tab, and a page opened without
// the printed URL (or with a stale key) shows one screen saying how to get in, with no retry loop.
import { expect, grid, test } from './support/test'

// The session key and the server's start belong to serve mode; the desktop app has neither.
test.skip(({ transport }) => transport !== 'serve', 'serve mode only')

test('a reload in the same tab keeps working after the key left the address bar', async ({ app }) => {
  await expect(grid(app)).toBeVisible()
  expect(new URL(app.url()).hash).not.toContain('token')
  await app.reload()
  await expect(grid(app)).toBeVisible()
  await expect(app.getByTestId('access-screen')).toHaveCount(0)
  await expect(app.getByText('Lost contact')).toHaveCount(0)
})

for (const [name, suffix, heading] of [
  ['without the key', '', 'Open the address the explorer printed'],
  ['with a stale key', '#token=not-the-key', 'no longer valid']
] as const) {
  test(`opened ${name}: one screen that says how to get the URL, and no retries`, async ({ page, explorer }) => {
    if (explorer.transport !== 'serve') return
    const origin = new URL(explorer.url).origin
    const calls: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/api/')) calls.push(r.url())
    })
    await page.goto(`${origin}/${suffix}`)
    const screen = page.getByTestId('access-screen')
    await expect(screen).toBeVisible()
    await expect(screen).toContainText(heading)
    await expect(screen).toContainText('npm run serve')
    await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0)
    await expect(page.getByText(/Lost contact|Retrying/)).toHaveCount(0)
    const before = calls.length
    await page.waitForTimeout(2_000)
    expect(calls.length, 'no calls after the refusal').toBe(before)
    expect(before).toBeLessThanOrEqual(3)
  })
}
