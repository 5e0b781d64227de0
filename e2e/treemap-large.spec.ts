// The treemap at 10,000 images: registry → namespace → repository → tag, a crowded level folded into runs
// of names, so no level draws thousands of unlabelled slivers. The usage answer is replaced at the network
// by one of 10,000 images (src/renderer/src/components/disk-usage/large-usage.fixture.ts): building a real cache that large takes
// about a minute; the grouping depends on names and sizes only, and the tree is checked at every level in
// usage-tree.test.ts.
import { tenThousand } from '../src/renderer/src/components/disk-usage/large-usage.fixture'
import { MAX_TILES } from '../src/renderer/src/components/disk-usage/usage-tree'
import { expect, test } from './support/test'

test('10,000 images: every level is a few dozen labelled tiles, grouped down to the tag', async ({
  page,
  explorer
}) => {
  if (explorer.transport !== 'serve') return test.skip(true, 'the usage is replaced at the network (HTTP only)')
  const usage = tenThousand()
  await page.route('**/api/usage', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/x-ndjson',
      body: `${JSON.stringify({ ok: true, result: usage })}\n`
    })
  )
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.goto(explorer.url)
  await page.getByRole('tab', { name: 'Disk usage' }).click()
  const map = page.getByTestId('treemap')
  const trail = page.getByRole('navigation', { name: 'Treemap level' })
  const cells = map.locator('.tm-cell')
  const checkLevel = async () => {
    await expect(cells.first()).toBeVisible()
    const count = await cells.count()
    expect(count).toBeLessThanOrEqual(MAX_TILES)
    expect(await map.locator('.tm-cell.tm-tiny').count()).toBeLessThanOrEqual(Math.max(6, count / 6))
    await expect(map.getByText(/smaller/)).toHaveCount(0)
  }
  await checkLevel()
  await map.locator('.tm-cell[data-kind="registry"]', { hasText: 'registry.bench.local' }).click()
  await map.locator('.tm-cell[data-kind="namespace"]', { hasText: 'team-1' }).click()
  await expect(trail).toContainText('team-1')
  await checkLevel()
  // 9,000 repositories in team-1: runs of names, each labelled with its first and last.
  const run = map.locator('.tm-cell[data-kind="range"]').first()
  await expect(run.locator('.tm-name')).toHaveText(/^app-\d+ – app-\d+$/)
  await page.screenshot({ path: test.info().outputPath('treemap-10000-namespace.png') })
  await run.click()
  await checkLevel()
  await map.locator('.tm-cell[data-kind="repository"]').first().click()
  await expect(map.locator('.tm-cell[data-kind="image"]').first()).toContainText(/^:v\d/)
})
