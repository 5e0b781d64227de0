// Users install the app wherever they like. The built app, copied to a folder whose name has a space,
// `%`, `[`, `]`, `|` and `#`, still loads its page and answers its own page's IPC calls: the sender
// check compares file paths, not two spellings of a URL (app-location.ts).
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchDesktopApp, REPO_ROOT } from '../../test-support/electron-standin/launch'
import { buildScenario } from '../../test-support/fixtures/scenarios'
import { expect, test } from '../support/test'

test('the app installed under "100% [beta] | #1" loads its page and its IPC calls are answered', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ice-install-'))
  const install = join(root, 'Image Cache 100% [beta] | #1')
  const home = join(root, 'home')
  mkdirSync(install)
  cpSync(join(REPO_ROOT, 'out'), join(install, 'out'), { recursive: true })
  cpSync(join(REPO_ROOT, 'package.json'), join(install, 'package.json'))
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(install, 'node_modules'))
  buildScenario(home, {
    entries: [{ reference: 'install/path:1', image: { layers: [{ seed: 'install-path', sizeBytes: 1024 }] } }],
    inUse: [],
    snapshots: []
  })
  const app = launchDesktopApp({ main: join(install, 'out/main/index.js'), userData: join(root, 'userdata'), home })
  try {
    const page = await app.firstWindow()
    const status = await page.evaluate(() =>
      (globalThis as unknown as { cacheApi: { status(a: object): Promise<unknown> } }).cacheApi.status({})
    )
    expect(status).toMatchObject({ ok: true, result: { home } })
    await expect(
      page.getByText('1 images', { exact: true }).or(page.getByText('1 image', { exact: true }))
    ).toBeVisible({ timeout: 15_000 })
    expect(fileURLToPath(page.url())).toBe(join(install, 'out/renderer/index.html'))
    expect((await app.events()).filter((e) => e.kind === 'csp-violation' || e.kind === 'preload-error')).toEqual([])
  } finally {
    await app.close()
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
  }
})
