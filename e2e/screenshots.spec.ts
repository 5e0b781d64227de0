// Screenshots of the main states at 1024×640, 1280×800 and 1920×1080, light and dark, as artifacts in
// test-results/screenshots/ (looked at by a person, not compared pixel by pixel). The page is walked
// through its states once; each state is shot in every size and scheme (a resize and a scheme change
// re-lay out the page in place). With UPDATE_README_SCREENSHOT=1 one of them also replaces the
// README's picture, resources/screenshot.png (never during a plain test run, which must not change
// tracked files). That each state lays out at these sizes is proven by narrow-window.spec.ts.
import { copyFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { checkRow, expect, grid, showRow, test } from './support/test'

const OUT = resolve(import.meta.dirname, '../test-results/screenshots')
const README_SHOT = resolve(import.meta.dirname, '../resources/screenshot.png')
const SIZES = [
  { width: 1024, height: 640 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 }
]
const SCHEMES = ['light', 'dark'] as const

test('the main states at three sizes, light and dark', async ({ app }) => {
  test.setTimeout(120_000)
  mkdirSync(OUT, { recursive: true })
  /** Shoots the state the page is in at every size and scheme; leaves the page as it found it. */
  const shots = async (state: string) => {
    const files = new Map<string, string>()
    for (const size of SIZES) {
      await app.setViewportSize(size)
      for (const colorScheme of SCHEMES) {
        await app.emulateMedia({ colorScheme, reducedMotion: 'reduce' })
        await app.mouse.move(0, size.height - 1)
        // Two frames: the resize's observers have run and what they changed is painted.
        await app.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
        const file = join(OUT, `${state}-${size.width}x${size.height}-${colorScheme}.png`)
        await app.screenshot({ path: file })
        files.set(`${size.width} ${colorScheme}`, file)
      }
    }
    await app.setViewportSize(SIZES[1])
    await app.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' })
    return files
  }
  await app.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' })

  await expect(grid(app).locator('[role="row"][data-reference]').first()).toBeVisible()
  await shots('table')

  // In-use images first: the README picture shows who uses what.
  await app.locator('.grid-head').getByRole('columnheader', { name: 'In use' }).getByRole('button').click()
  await checkRow(app, 'docker.io/library/redis:7')
  await checkRow(app, 'python:3.12')
  await (await showRow(app, 'localhost:5000/team/app:1.0')).click()
  await app.getByRole('tab', { name: 'Layers' }).click()
  await expect(app.locator('li.layer').first()).toBeVisible()
  const detail = await shots('detail')
  if (process.env.UPDATE_README_SCREENSHOT === '1') copyFileSync(detail.get('1920 light')!, README_SHOT)

  await app.getByRole('button', { name: 'Remove…' }).click()
  await app.getByTestId('in-use-warning').getByRole('checkbox').check()
  await expect(app.getByTestId('held-by')).toBeVisible()
  await shots('remove-in-use')
  await app.keyboard.press('Escape')

  await app.getByRole('button', { name: 'Prune…' }).first().click()
  await expect(app.getByTestId('plan-summary')).toBeVisible()
  await shots('prune-preview')
  await app.keyboard.press('Escape')

  await app.getByRole('tab', { name: 'Disk usage' }).click()
  await expect(app.getByTestId('treemap').locator('.tm-cell').first()).toBeVisible()
  await shots('disk-usage')
})
