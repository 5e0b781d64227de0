// The config pane shows what msb stored, field for field, and shows empty fields as empty rather
// than hiding them: an explicit [] is not the same as a field the image never set.
import type { Locator, Page } from '@playwright/test'
import { msbJson } from '../src/main/demo/msb'
import { detailPane, expect, row, test } from './support/test'

interface MsbConfig {
  cmd: string[] | null
  entrypoint: string[] | null
  env: string[]
  labels: Record<string, string> | null
  user: string | null
  working_dir: string | null
}

async function openConfig(app: Page, reference: string) {
  await app.getByRole('searchbox', { name: 'Search images' }).fill(reference)
  await row(app, reference).click()
  const pane = detailPane(app)
  await expect(pane).toHaveAttribute('data-reference', reference)
  await pane.getByRole('tab', { name: 'Config' }).click()
  return pane.locator('.config-view')
}

const fact = (config: Locator, term: string) =>
  config
    .locator('dl.facts > div')
    .filter({ has: config.page().getByText(term, { exact: true }) })
    .locator('dd')

test('env is a KEY / value table and every field is shown as msb stored it', async ({ app, explorer }) => {
  const reference = 'docker.io/library/nginx:1.27'
  const stored = msbJson<{ config: MsbConfig }>(explorer.home, ['image', 'inspect', reference]).config
  const config = await openConfig(app, reference)
  const env = config.locator('table.kv-table').first()
  for (const entry of stored.env) {
    const [key, value] = [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]
    await expect(
      env
        .locator('tr')
        .filter({ has: app.locator('th', { hasText: key }) })
        .locator('td')
    ).toHaveText(value)
  }
  await expect(fact(config, 'Command')).toHaveText(JSON.stringify(stored.cmd))
  await expect(fact(config, 'Entrypoint')).toHaveText(JSON.stringify(stored.entrypoint))
  // msb 0.6 never stores the stop signal, even when the image sets one.
  await expect(fact(config, 'Stop signal')).toHaveText('— (not set)')
})

test('explicitly empty fields read as empty, unset ones as not set', async ({ app, explorer }) => {
  const empty = msbJson<{ config: MsbConfig }>(explorer.home, [
    'image',
    'inspect',
    'localhost:5000/minimal/empty:1'
  ]).config
  expect(empty.cmd).toEqual([])
  let config = await openConfig(app, 'localhost:5000/minimal/empty:1')
  await expect(fact(config, 'Command')).toHaveText('[] (empty)')
  await expect(fact(config, 'Entrypoint')).toHaveText('[] (empty)')
  await expect(fact(config, 'Working dir')).toHaveText('"" (empty)')

  config = await openConfig(app, 'localhost:5000/minimal/null:1')
  await expect(fact(config, 'Command')).toHaveText('— (not set)')
  await expect(fact(config, 'Working dir')).toHaveText('— (not set)')
  await expect(config.getByText('— (not set)').last()).toBeVisible()
})
