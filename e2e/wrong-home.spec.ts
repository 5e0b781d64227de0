// A home that does not exist is one clear screen naming the folder, not an empty cache.
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { openCache } from '../src/main/core/cache'
import { startServer } from '../src/main/serve/http-server'
import { E2E_RENDERER_DIR } from './support/build-renderer'
import { expect, test } from './support/test'

test.skip(({ transport }) => transport !== 'serve', 'serve mode only')

test('a home that does not exist shows one screen that says so', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'ice-e2e-wrong-'))
  const home = join(root, 'no-such-home')
  const cache = openCache({ home })
  const server = await startServer({ api: cache, staticDir: E2E_RENDERER_DIR })
  try {
    await page.goto(server.url)
    const screen = page.getByTestId('home-problem')
    await expect(screen).toBeVisible()
    await expect(screen).toContainText(home)
    await expect(screen).toContainText('--home')
    await expect(page.getByTestId('empty-state')).toHaveCount(0)
    await expect(page.getByRole('alert')).toHaveCount(1)
  } finally {
    await server.close()
    cache.close()
    rmSync(root, { recursive: true, force: true })
  }
})
