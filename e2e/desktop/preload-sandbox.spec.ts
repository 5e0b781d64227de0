// The preload runs as in Electron's sandbox: its `require` knows only 'electron'. A preload bundle
// that needs anything else (here: one that requires node:fs, as a preload built without bundling
// would) gives the page no bridge, and the stand-in reports it, as Electron's console does.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchDesktopApp, REPO_ROOT } from '../../test-support/electron-standin/launch'
import { expect, test } from '../support/test'

test('a preload that requires anything but electron leaves the page without a bridge', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ice-preload-'))
  const install = join(root, 'app')
  cpSync(join(REPO_ROOT, 'out'), join(install, 'out'), { recursive: true })
  cpSync(join(REPO_ROOT, 'package.json'), join(install, 'package.json'))
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(install, 'node_modules'))
  const preload = join(install, 'out/preload/index.cjs')
  writeFileSync(preload, `const fs = require('node:fs');\n${readFileSync(preload, 'utf8')}`)
  const app = launchDesktopApp({
    main: join(install, 'out/main/index.js'),
    userData: join(root, 'userdata'),
    home: join(root, 'home')
  })
  try {
    const page = await app.firstWindow()
    await expect
      .poll(async () => (await app.events()).filter((e) => e.kind === 'preload-error'))
      .toEqual([
        {
          kind: 'preload-error',
          message: "Cannot find module 'node:fs' (a sandboxed preload can require only 'electron')"
        }
      ])
    expect(await page.evaluate(() => typeof (globalThis as unknown as { cacheApi?: unknown }).cacheApi)).toBe(
      'undefined'
    )
  } finally {
    await app.close()
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
  }
})
