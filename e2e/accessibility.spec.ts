// axe-core over every main state, in light and dark: no serious or critical violation.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { checkRow, expect, showRow, test } from './support/test'

async function seriousViolations(page: Page, state: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${state}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`
    )
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no serious or critical axe violations (${colorScheme})`, async ({ app }) => {
    // axe's colour-contrast pass is slow on a busy machine; five scans need more than the default.
    test.setTimeout(180_000)
    await app.emulateMedia({ colorScheme })
    const found: string[] = []
    found.push(...(await seriousViolations(app, 'table')))

    await (await showRow(app, 'localhost:5000/team/app:1.0')).click()
    await checkRow(app, 'alpine')
    await app.getByRole('tab', { name: 'Layers' }).click()
    await expect(app.locator('li.layer').first()).toBeVisible()
    found.push(...(await seriousViolations(app, 'detail')))
    await app.getByRole('tab', { name: 'Files' }).click()
    await expect(app.getByRole('treeitem').first()).toBeVisible()
    found.push(...(await seriousViolations(app, 'files')))

    await app.getByRole('button', { name: 'Prune…' }).first().click()
    await expect(app.getByTestId('plan-summary')).toBeVisible()
    found.push(...(await seriousViolations(app, 'prune dialog')))
    await app.keyboard.press('Escape')

    await app.getByRole('button', { name: 'Remove 1 image…' }).click()
    await expect(app.getByTestId('in-use-warning')).toBeVisible()
    found.push(...(await seriousViolations(app, 'remove dialog')))
    await app.keyboard.press('Escape')

    await app.getByRole('tab', { name: 'Disk usage' }).click()
    await expect(app.getByTestId('treemap').locator('.tm-cell').first()).toBeVisible()
    found.push(...(await seriousViolations(app, 'disk usage')))

    expect(found).toEqual([])
  })
}
