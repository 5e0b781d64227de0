// Two homes whose config.json point at one cache: the window shows where the files are, says that a
// shared cache keeps every file until the other homes are named, and once one is named, the prune
// preview keeps exactly the files that home uses.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect } from '@playwright/test'
import { openCache } from '../src/main/core/cache'
import { runMsb } from '../src/main/demo/msb'
import { writeOciArchive } from '../src/main/demo/oci-archive'
import { startServer } from '../src/main/serve/http-server'
import { E2E_RENDERER_DIR } from './support/build-renderer'

const test = base

test('a shared cache: files stay until the other home is named, then only what it uses stays', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'ice-e2e-shared-'))
  const shared = join(root, 'shared-cache')
  const [homeA, homeB] = [join(root, 'home-a'), join(root, 'home-b')]
  for (const home of [homeA, homeB]) {
    mkdirSync(home)
    writeFileSync(join(home, 'config.json'), JSON.stringify({ paths: { cache: shared } }))
  }
  const archive = (name: string, seeds: string[]) => {
    const path = join(root, `${name}.tar`)
    writeOciArchive(path, [{ layers: seeds.map((seed) => ({ seed, sizeBytes: 4096 })), config: { cmd: ['sh'] } }])
    return path
  }
  runMsb(homeA, ['load', '-q', '-i', archive('a', ['shared', 'a-only']), '-t', 'localhost/a:1'])
  runMsb(homeB, ['load', '-q', '-i', archive('b', ['shared', 'b-only']), '-t', 'localhost/b:1'])
  const cache = openCache({ home: homeA })
  const server = await startServer({ api: cache, staticDir: E2E_RENDERER_DIR })
  try {
    await page.goto(server.url)
    await page.getByRole('tab', { name: 'Disk usage' }).click()
    await expect(page.getByTestId('resolved-home')).toHaveText(homeA)
    await expect(page.getByTestId('resolved-db')).toHaveText(join(homeA, 'db', 'msb.db'))
    await expect(page.getByTestId('resolved-cache')).toHaveText(shared)
    await expect(page.getByTestId('shared-cache-note')).toContainText('other homes may share it')

    await page.getByRole('button', { name: 'Review prune…' }).click()
    let dialog = page.getByRole('dialog', { name: 'Prune the image cache' })
    await expect(dialog.getByTestId('plan-note')).toContainText('every file is kept')
    await expect(dialog.getByTestId('plan-total-bytes')).toHaveAttribute('data-bytes', '0')
    await dialog.getByText('Files kept for other homes').click()
    // Every file stays: the shared layer because b's image record names it, the rest because a shared
    // cache's other homes are not known yet.
    await expect(dialog.getByTestId('plan-kept-files')).toContainText('name them to reclaim this')
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    await page.getByTestId('shared-home-input').fill(homeB)
    await page.getByRole('button', { name: 'Add' }).click()
    await expect(page.getByTestId('shared-homes-list')).toContainText(homeB)
    await page.getByRole('button', { name: 'Review prune…' }).click()
    dialog = page.getByRole('dialog', { name: 'Prune the image cache' })
    await expect(dialog.getByTestId('plan-note')).toContainText(`shared with ${homeB}`)
    // The shared layer stays for home B; a's own layer, fsmeta, vmdk and metadata go.
    await expect(dialog.getByTestId('plan-count-files')).toHaveText('4 files')
    await dialog.getByText('Files kept for other homes').click()
    await expect(dialog.getByTestId('plan-kept-files').locator('li')).toHaveCount(1)
    await expect(dialog.getByTestId('plan-kept-files')).toContainText(`used by ${homeB}`)
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    // A home whose cache is elsewhere is refused with the reason.
    const stranger = join(root, 'stranger')
    mkdirSync(stranger)
    await page.getByTestId('shared-home-input').fill(stranger)
    await page.getByRole('button', { name: 'Add' }).click()
    await expect(page.getByTestId('shared-homes-error')).toContainText('paths.cache conflicts')
  } finally {
    await server.close()
    cache.close()
    rmSync(root, { recursive: true, force: true })
  }
})
