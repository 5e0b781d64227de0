// The build step behind every layer (docker history's CREATED BY), in the Layers tab: shortened, the full
// instruction on hover and one click away, steps that made no layer muted between the layers; the Files
// tab names the step too; an image whose steps cannot be matched says so and labels no layer.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { detailPane, expect, showRow, test } from './support/test'

test('the Layers tab names the step of each layer, empty steps muted between them', async ({ app, explorer }) => {
  await app.setViewportSize({ width: 1440, height: 900 })
  const reference = 'localhost:5000/team/app:1.0'
  await (await showRow(app, reference)).click()
  const pane = detailPane(app)
  await expect(pane).toHaveAttribute('data-reference', reference)
  // Built (the config's date) beside Pulled (msb's).
  await expect(pane.locator('.facts')).toContainText('Built')
  await expect(pane.locator('.facts')).toContainText('Pulled')
  await pane.getByRole('tab', { name: 'Layers' }).click()

  // The step each layer carries is the config's, as msb stored it in manifests/*.json.
  const dir = join(explorer.home, 'cache', 'manifests')
  const configs = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as { raw_config_json: string })
    .map((r) => JSON.parse(r.raw_config_json) as { history?: { created_by: string; empty_layer?: boolean }[] })
  const history = configs.find((c) =>
    c.history?.some((h) => h.created_by.includes('org.opencontainers.image.version=1.0'))
  )!.history!
  const making = history.filter((h) => !h.empty_layer)
  for (const [position, step] of making.entries()) {
    const text = pane.locator(`.layer[data-position="${position}"] .step-text`)
    await expect(text).toHaveAttribute('title', step.created_by)
  }
  await expect(pane.locator('.layer[data-position="3"] .step-text')).toHaveText('COPY . /app')
  await expect(pane.locator('.layer[data-position="2"] .step-text')).toHaveText(
    'RUN apk add --no-cache nodejs=20.15.1-r0'
  )
  // Empty steps, muted, where the build ran them: CMD ["/bin/sh"] right after the base layer.
  const empty = pane.locator('.layer-empty-step')
  await expect(empty).toHaveCount(history.length - making.length)
  const items = pane.locator('.layer-stack > li')
  await expect(items.nth(1)).toHaveClass(/layer-empty-step/)
  await expect(items.nth(1)).toContainText('CMD ["/bin/sh"]')
  // A click shows the full instruction as stored.
  await pane.locator('.layer[data-position="2"] .step-text').click()
  await expect(pane.locator('.layer[data-position="2"] .step-text')).toHaveText(making[2].created_by)
  await app.screenshot({ path: test.info().outputPath('layer-steps.png') })

  // The Files tab names the step of the layer it shows.
  await pane.getByRole('button', { name: 'Files of layer 3' }).click()
  await expect(pane.getByTestId('files-summary')).toContainText('Made by')
  await expect(pane.getByTestId('files-summary')).toContainText('COPY . /app')
  await expect(pane.getByRole('combobox', { name: 'Layer' })).toContainText('#3 top · COPY . /app')
})

test('an image whose steps outnumber its layers says so and labels no layer', async ({ app }) => {
  await (await showRow(app, 'docker.io/library/redis:7')).click()
  const pane = detailPane(app)
  await pane.getByRole('tab', { name: 'Layers' }).click()
  await expect(pane.locator('.history-note')).toContainText(
    'The config lists 4 steps that made a layer for 3 layers: layers are shown by position, not matched to steps.'
  )
  await expect(pane.locator('.layer .step-text')).toHaveCount(0)
  await (await showRow(app, 'busybox')).click()
  await expect(pane.locator('.history-note')).toContainText('No build history: the image config lists no steps.')
})
