// Is there an Electron binary to run, and a display to show it on? Answered without
// `require('electron')`, which would try to download the binary (impossible offline).
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export type ElectronAvailability = { ok: true; binary: string } | { ok: false; reason: string }

/** Mirrors node_modules/electron/index.js: ELECTRON_OVERRIDE_DIST_PATH first, then path.txt in dist/. */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): ElectronAvailability {
  const packageDir = resolve(root, 'node_modules', 'electron')
  const pathFile = join(packageDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron')
    return existsSync(binary)
      ? { ok: true, binary }
      : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${binary})` }
  }
  if (!relative) return { ok: false, reason: 'no Electron binary was downloaded' }
  const binary = join(packageDir, 'dist', relative)
  return existsSync(binary) ? { ok: true, binary } : { ok: false, reason: `the Electron binary is missing (${binary})` }
}

export function displayAvailable(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env
): boolean {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}
