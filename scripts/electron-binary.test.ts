import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { displayAvailable, findElectronBinary } from './electron-binary'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'electron-binary-'))
  mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true })
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

function installBinary(): string {
  writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron')
  mkdirSync(join(root, 'node_modules', 'electron', 'dist'))
  const binary = join(root, 'node_modules', 'electron', 'dist', 'electron')
  writeFileSync(binary, '#!/bin/sh\n')
  chmodSync(binary, 0o755)
  return binary
}

describe('findElectronBinary', () => {
  it('reports a package installed without its binary', () => {
    expect(findElectronBinary(root, {})).toEqual({ ok: false, reason: 'no Electron binary was downloaded' })
  })

  it('finds the downloaded binary through path.txt', () => {
    const binary = installBinary()
    expect(findElectronBinary(root, {})).toEqual({ ok: true, binary })
  })

  it('prefers ELECTRON_OVERRIDE_DIST_PATH, and says when it is empty', () => {
    installBinary()
    const override = join(root, 'override')
    mkdirSync(override)
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: override })).toMatchObject({ ok: false })
    writeFileSync(join(override, 'electron'), '')
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({
      ok: true,
      binary: join(override, 'electron')
    })
  })
})

describe('display', () => {
  it('needs DISPLAY or WAYLAND_DISPLAY on Linux only', () => {
    expect(displayAvailable('linux', {})).toBe(false)
    expect(displayAvailable('linux', { DISPLAY: ':0' })).toBe(true)
    expect(displayAvailable('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true)
    expect(displayAvailable('darwin', {})).toBe(true)
    expect(displayAvailable('win32', {})).toBe(true)
  })
})
