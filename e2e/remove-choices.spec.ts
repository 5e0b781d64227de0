// A bulk removal that includes images in use can go ahead without them.
import { markInUse } from '../src/main/demo/build-cache'
import { msbJson } from '../src/main/demo/msb'
import { checkRow, expect, showRow, test } from './support/test'

const listed = (home: string) => msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)

test('a bulk removal blocked by an image in use offers to skip the images in use', async ({ app, explorer }) => {
  markInUse(explorer.home, 'python:3.12', { name: 'e2e-runner', status: 'Running' })
  await expect((await showRow(app, 'python:3.12')).locator('.cell-inUse')).toContainText('e2e-runner', {
    timeout: 5_000
  })
  const chosen = ['busybox', 'python:3.12', 'ghcr.io/acme/tool:1.2']
  for (const reference of chosen) await checkRow(app, reference)
  await app.getByRole('button', { name: 'Remove 3 images…' }).click()

  const dialog = app.getByTestId('remove-dialog')
  await expect(dialog.getByTestId('in-use-warning')).toContainText('e2e-runner')
  await dialog.getByRole('button', { name: 'Skip images in use: remove the other 2 images' }).click()
  await expect(app.getByRole('dialog', { name: 'Remove 2 images?' })).toBeVisible()
  await expect(dialog.getByTestId('in-use-warning')).toHaveCount(0)
  await dialog.getByRole('button', { name: /^Remove · free/ }).click()
  await expect(dialog).toBeHidden()

  const after = listed(explorer.home)
  expect(after).toContain('python:3.12')
  expect(after).not.toContain('busybox')
  expect(after).not.toContain('ghcr.io/acme/tool:1.2')
})
