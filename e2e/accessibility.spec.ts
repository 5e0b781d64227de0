// axe-core over every main state: no serious or critical violation, in light with every WCAG A/AA and
// best-practice rule, and in dark with the rules a colour can break (the dark theme changes colours only:
// styles/base/tokens.css and buttons.css swap colour values under prefers-color-scheme, nothing else).
// One pass through the states scans each in both schemes, so the page is set up once. Where a state changes
// one part of a page already scanned, that part is what is scanned (a scheme, or both): a dialog's own
// colours in dark (in light the whole page, for the rules about what a modal hides), the Files and Disk
// usage panels.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { checkRow, expect, showRow, test } from './support/test'

/** The axe rules whose outcome depends on colours: all a scheme can change. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block']

async function seriousViolations(page: Page, state: string, colourOnly: boolean, part?: string) {
  const axe = new AxeBuilder({ page })
  if (part) axe.include(part)
  if (colourOnly) axe.withRules(COLOUR_RULES)
  else axe.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
  const results = await axe.analyze()
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

test('no serious or critical axe violations, in light and in dark', async ({ app }) => {
  // axe's colour-contrast pass is slow on a busy machine; twelve scans need more than the default.
  test.setTimeout(180_000)
  const found: string[] = []
  /**
   * Scans the state the page is in: every rule in light, the colour rules in dark, each on the whole page
   * or on the part that changed; ends in light.
   */
  const scan = async (state: string, part: { light?: string; dark?: string } = {}) => {
    await app.emulateMedia({ colorScheme: 'light' })
    found.push(...(await seriousViolations(app, `${state} (light)`, false, part.light)))
    await app.emulateMedia({ colorScheme: 'dark' })
    found.push(...(await seriousViolations(app, `${state} (dark)`, true, part.dark)))
    await app.emulateMedia({ colorScheme: 'light' })
  }
  await scan('table')

  await (await showRow(app, 'localhost:5000/team/app:1.0')).click()
  await checkRow(app, 'alpine')
  await app.getByRole('tab', { name: 'Layers' }).click()
  await expect(app.locator('li.layer').first()).toBeVisible()
  await scan('detail')
  await app.getByRole('tab', { name: 'Files' }).click()
  await expect(app.getByRole('treeitem').first()).toBeVisible()
  await scan('files', { light: '#detail-panel', dark: '#detail-panel' })

  await app.getByRole('button', { name: 'Prune…' }).first().click()
  await expect(app.getByTestId('plan-summary')).toBeVisible()
  await scan('prune dialog', { dark: '[role="dialog"]' })
  await app.keyboard.press('Escape')

  await app.getByRole('button', { name: 'Remove 1 image…' }).click()
  await expect(app.getByTestId('in-use-warning')).toBeVisible()
  await scan('remove dialog', { dark: '[role="dialog"]' })
  await app.keyboard.press('Escape')

  await app.getByRole('tab', { name: 'Disk usage' }).click()
  await expect(app.getByTestId('treemap').locator('.tm-cell').first()).toBeVisible()
  await scan('disk usage', { light: '#panel-usage', dark: '#panel-usage' })

  expect(found).toEqual([])
})
