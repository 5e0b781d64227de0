import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { electronViteEnv, planLaunch, runElectronInstaller } from './launch-plan'
import type { InstallResult } from './launch-plan'

let root: string
let said: string[]
const DISPLAY = { DISPLAY: ':0' }
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'launch-plan-'))
  mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true })
  said = []
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** What Electron's installer leaves behind when its download succeeds. */
function placeBinary(): string {
  writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron')
  mkdirSync(join(root, 'node_modules', 'electron', 'dist'), { recursive: true })
  const binary = join(root, 'node_modules', 'electron', 'dist', 'electron')
  writeFileSync(binary, '#!/bin/sh\n')
  chmodSync(binary, 0o755)
  return binary
}

const plan = (env: NodeJS.ProcessEnv, install: () => InstallResult) =>
  planLaunch(root, { platform: 'linux', env, install, say: (line) => said.push(line) })

describe('planLaunch', () => {
  it('opens the desktop window when the binary is there, without downloading', () => {
    const binary = placeBinary()
    expect(plan(DISPLAY, () => ({ ok: false, reason: 'must not run' }))).toEqual({
      mode: 'desktop',
      binary,
      downloaded: false
    })
    expect(said).toEqual([])
  })

  it('downloads Electron on a fresh clone (one line), then opens the desktop window', () => {
    let runs = 0
    const result = plan(DISPLAY, () => {
      runs++
      placeBinary()
      return { ok: true }
    })
    expect(result).toMatchObject({ mode: 'desktop', downloaded: true })
    expect(runs).toBe(1)
    expect(said).toEqual(['Downloading Electron for the desktop window (first start only)…'])
  })

  it('offline: the download fails, so it serves instead and says why', () => {
    const result = plan(DISPLAY, () => ({ ok: false, reason: 'RequestError: getaddrinfo ENOTFOUND github.com' }))
    expect(result).toEqual({
      mode: 'serve',
      reason: 'Electron could not be downloaded: RequestError: getaddrinfo ENOTFOUND github.com'
    })
  })

  it('an installer that "succeeds" without leaving a binary still falls back', () => {
    expect(plan(DISPLAY, () => ({ ok: true }))).toEqual({ mode: 'serve', reason: 'no Electron binary was downloaded' })
  })

  it('without a display it serves at once and downloads nothing', () => {
    let runs = 0
    const install = (): InstallResult => {
      runs++
      return { ok: true }
    }
    expect(plan({}, install)).toMatchObject({ mode: 'serve', reason: expect.stringMatching(/no display/) })
    expect(runs).toBe(0)
  })

  it('ELECTRON_OVERRIDE_DIST_PATH is used as is, never replaced by a download', () => {
    const override = join(root, 'override')
    mkdirSync(override)
    let runs = 0
    const install = (): InstallResult => {
      runs++
      return { ok: true }
    }
    expect(plan({ ...DISPLAY, ELECTRON_OVERRIDE_DIST_PATH: override }, install)).toMatchObject({ mode: 'serve' })
    writeFileSync(join(override, 'electron'), '')
    expect(plan({ ...DISPLAY, ELECTRON_OVERRIDE_DIST_PATH: override }, install)).toEqual({
      mode: 'desktop',
      binary: join(override, 'electron'),
      downloaded: false
    })
    expect(runs).toBe(0)
  })
})

describe('runElectronInstaller', () => {
  it('reports the first line of a failing installer', () => {
    writeFileSync(
      join(root, 'node_modules', 'electron', 'install.js'),
      "console.error('\\nRequestError: getaddrinfo ENOTFOUND github.com\\n    at x'); process.exit(1)\n"
    )
    expect(runElectronInstaller(root)).toEqual({ ok: false, reason: 'RequestError: getaddrinfo ENOTFOUND github.com' })
  })

  it('says when the electron package itself is missing', () => {
    rmSync(join(root, 'node_modules'), { recursive: true })
    expect(runElectronInstaller(root)).toMatchObject({ ok: false, reason: expect.stringMatching(/npm install/) })
  })
})

describe('electronViteEnv', () => {
  it('hands the binary to electron-vite as ELECTRON_EXEC_PATH, and the home as MSB_HOME', () => {
    expect(electronViteEnv('/x/electron', { PATH: '/bin' }, '/h')).toEqual({
      PATH: '/bin',
      ELECTRON_EXEC_PATH: '/x/electron',
      MSB_HOME: '/h'
    })
  })
})
