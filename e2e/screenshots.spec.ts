// Screenshots of the main states at 1024×640, 1280×800 and 1920×1080, light and dark, as artifacts in
// test-results/screenshots/ (looked at by a person, not compared pixel by pixel). With
// UPDATE_README_SCREENSHOT=1 one of them also replaces the README's picture, resources/screenshot.png
// (never during a plain test run, which must not change tracked files).
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

for (const size of SIZES) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`main states at ${size.width}×${size.height}, ${colorScheme}`, async ({ app }) => {
      mkdirSync(OUT, { recursive: true })
      await app.setViewportSize(size)
      await app.emulateMedia({ colorScheme, reducedMotion: 'reduce' })
      const shot = async (state: string) => {
        const file = join(OUT, `${state}-${size.width}x${size.height}-${colorScheme}.png`)
        await app.mouse.move(0, size.height - 1)
        await app.screenshot({ path: file })
        return file
      }

      await expect(grid(app).locator('[role="row"][data-reference]').first()).toBeVisible()
      await shot('table')

      // In-use images first: the README picture shows who uses what.
      await app.locator('.grid-head').getByRole('columnheader', { name: 'In use' }).getByRole('button').click()
      await checkRow(app, 'docker.io/library/redis:7')
      await checkRow(app, 'python:3.12')
      await (await showRow(app, 'localhost:5000/team/app:1.0')).click()
      await app.getByRole('tab', { name: 'Layers' }).click()
      await expect(app.locator('li.layer').first()).toBeVisible()
      const detail = await shot('detail')
      if (process.env.UPDATE_README_SCREENSHOT === '1' && size.width === 1920 && colorScheme === 'light') {
        copyFileSync(detail, README_SHOT)
      }

      await app.getByRole('button', { name: 'Remove…' }).click()
      await app.getByTestId('in-use-warning').getByRole('checkbox').check()
      await expect(app.getByTestId('held-by')).toBeVisible()
      await shot('remove-in-use')
      await app.keyboard.press('Escape')

      await app.getByRole('button', { name: 'Prune…' }).first().click()
      await expect(app.getByTestId('plan-summary')).toBeVisible()
      await shot('prune-preview')
      await app.keyboard.press('Escape')

      await app.getByRole('tab', { name: 'Disk usage' }).click()
      await expect(app.getByTestId('treemap').locator('.tm-cell').first()).toBeVisible()
      await shot('disk-usage')
    })
  }
}
