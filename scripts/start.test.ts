// `npm start` opens the production build: electron-vite's `preview` builds out/ and starts Electron on
// it, so the window loads the built page, never a dev server (that is `npm run dev`). A stand-in
// Electron binary (a shell script, via ELECTRON_OVERRIDE_DIST_PATH) records how it was started.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..')
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ice-start-'))
  writeFileSync(
    join(dir, 'electron'),
    `#!/bin/sh\n{ echo "cwd=$(pwd)"; echo "args=$*"; echo "renderer=$ELECTRON_RENDERER_URL"; echo "home=$MSB_HOME"; } > "${join(dir, 'started')}"\n`
  )
  chmodSync(join(dir, 'electron'), 0o755)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('npm start builds and opens the built app, not a dev server', () => {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/start.ts'), '--home', join(dir, 'home')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: dir, ELECTRON_RENDERER_URL: '' }
    }
  )
  expect(run.status, run.stderr).toBe(0)
  const started = readFileSync(join(dir, 'started'), 'utf8')
  expect(started).toContain(`cwd=${ROOT}\n`)
  expect(started).toContain('args=.\n')
  // electron-vite dev hands the app its dev server here; the built app loads out/renderer/index.html.
  expect(started).toContain('renderer=\n')
  expect(started).toContain(`home=${join(dir, 'home')}\n`)
  expect(run.stdout).toMatch(/built in/)
})
