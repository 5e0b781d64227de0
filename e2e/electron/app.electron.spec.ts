// The desktop app itself under Playwright's `_electron`: the built main process (out/main/index.js),
// the sandboxed preload and IPC, against a fixture cache built by the real msb in a private MSB_HOME.
//
// Needs an Electron binary; where none was downloaded (offline machines, this project's CI) every
// test is skipped and the reason printed, instead of Playwright trying to download one.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import type { ElectronApplication, Page } from '@playwright/test'
import { buildScenario, standardScenario } from '../../test-support/fixtures/scenarios'
import type { BuiltScenario } from '../../test-support/fixtures/scenarios'
import { findElectronBinary } from '../../scripts/electron-binary'

const root = resolve(import.meta.dirname, '../..')
const electronBinary = findElectronBinary(root)
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
const skipReason = !electronBinary.ok
  ? `Electron e2e skipped: ${electronBinary.reason}`
  : !display
    ? 'Electron e2e skipped: no display (run under xvfb-run on Linux)'
    : null
if (skipReason) console.log(skipReason)

/** A table row, found by its selection checkbox (the reference itself is split over two cells). */
function rowOf(page: Page, reference: string) {
  return page
    .getByRole('grid', { name: 'Cached images' })
    .getByRole('row')
    .filter({ has: page.getByRole('checkbox', { name: `Select ${reference}`, exact: true }) })
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByPlaceholder(/^Search reference/).fill(text)
}

test.describe('desktop app', () => {
  test.skip(skipReason !== null, skipReason ?? '')

  let home: string
  let userData: string
  let built: BuiltScenario
  let app: ElectronApplication
  let page: Page

  test.beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/index.js'))) {
      const build = spawnSync(
        process.execPath,
        [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
        {
          cwd: root,
          stdio: 'inherit'
        }
      )
      if (build.status !== 0) throw new Error('electron-vite build failed')
    }
    home = mkdtempSync(join(tmpdir(), 'ice-electron-home-'))
    userData = mkdtempSync(join(tmpdir(), 'ice-electron-userdata-'))
    built = buildScenario(home, standardScenario())
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
    delete env.ELECTRON_RENDERER_URL
    env.MSB_HOME = home
    app = await electron.launch({
      executablePath: (electronBinary as { binary: string }).binary,
      args: [
        join(root, 'out/main/index.js'),
        `--user-data-dir=${userData}`,
        // Chromium refuses to start as root with its OS sandbox; CI containers run as root.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])
      ],
      env
    })
    page = await app.firstWindow()
  })

  test.afterAll(async () => {
    await app?.close()
    if (home) rmSync(home, { recursive: true, force: true })
    if (userData) rmSync(userData, { recursive: true, force: true })
  })

  test('the page gets exactly the contract bridge and no Node', async () => {
    // Runs in the page; `globalThis` is its window (this project's Node tsconfig has no DOM types).
    const surface = await page.evaluate(() => {
      const page = globalThis as unknown as { cacheApi: object; require?: unknown; process?: unknown }
      return { keys: Object.keys(page.cacheApi).sort(), require: typeof page.require, process: typeof page.process }
    })
    expect(surface.keys).toEqual([
      'get',
      'imageFiles',
      'insight',
      'inspect',
      'list',
      'openDemo',
      'prune',
      'prunePlan',
      'remove',
      'removePlan',
      'shareCacheWith',
      'status',
      'usage'
    ])
    expect(surface.require).toBe('undefined')
    expect(surface.process).toBe('undefined')
  })

  test('the table shows the cached references', async () => {
    await expect(page.getByRole('grid', { name: 'Cached images' })).toBeVisible()
    // The table is virtualised (only rows near the viewport exist), so check the count, then one row.
    await expect(page.getByText(`${built.references.size} images`, { exact: true })).toBeVisible()
    await search(page, 'alpine')
    await expect(rowOf(page, 'alpine')).toBeVisible()
  })

  test('opening an image shows its details and layer stack', async () => {
    const entry = built.entries.find((e) => e.image.layers.length > 1) ?? built.entries[0]
    await search(page, entry.reference)
    await rowOf(page, entry.reference).click()
    const details = page.getByRole('complementary', { name: `Details of ${entry.reference}` })
    await expect(details).toBeVisible()
    await details.getByRole('tab', { name: 'Layers' }).click()
    const stack = details.getByRole('list', { name: /^Layers/ })
    await expect(stack.getByRole('listitem')).toHaveCount(entry.image.layers.length)
  })

  test('the window cannot be navigated away or open new windows', async () => {
    const before = page.url()
    await page.evaluate(() => {
      const page = globalThis as unknown as { open(url: string): unknown; location: { href: string } }
      page.open('https://evil.example/')
      page.location.href = 'https://evil.example/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe(before)
    expect(app.windows()).toHaveLength(1)
  })
})

// The quit Electron ignores (electron/electron#33643): before anything started the worker, closing
// the session settles at once, and a second app.quit() from it was dropped, leaving a windowless
// process holding the single-instance lock. The app now ends with app.exit and a watchdog.
test.describe('quitting', () => {
  test.skip(skipReason !== null, skipReason ?? '')

  for (const how of ['closing the window', 'app.quit() (File > Quit)'] as const) {
    test(`${how} ends the process, even before the worker started`, async () => {
      const emptyHome = mkdtempSync(join(tmpdir(), 'ice-electron-empty-home-'))
      const quitUserData = mkdtempSync(join(tmpdir(), 'ice-electron-userdata-'))
      const env: Record<string, string> = {}
      for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
      delete env.ELECTRON_RENDERER_URL
      env.MSB_HOME = emptyHome
      const quitting = await electron.launch({
        executablePath: (electronBinary as { binary: string }).binary,
        args: [
          join(root, 'out/main/index.js'),
          `--user-data-dir=${quitUserData}`,
          ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])
        ],
        env
      })
      try {
        const window = await quitting.firstWindow()
        await expect(window.getByTestId('empty-state')).toBeVisible()
        const exited = new Promise<number | null>((resolve) => quitting.process().once('exit', (code) => resolve(code)))
        if (how === 'closing the window') await window.close()
        else await quitting.evaluate(({ app }) => app.quit())
        const result = await Promise.race([
          exited,
          new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))
        ])
        expect(result).toBe(0)
      } finally {
        quitting.process().kill('SIGKILL')
        rmSync(emptyHome, { recursive: true, force: true })
        rmSync(quitUserData, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
      }
    })
  }
})
