// What `npm start` and `npm run dev` do on this machine: open the desktop window, or (start only)
// serve the explorer to a browser, and why.
//
// Electron 45's npm package has no postinstall: its binary is downloaded on first use. So when no
// binary is there yet, Electron's own installer (node_modules/electron/install.js) runs first, with
// a one-line message; only when that fails (offline, blocked) does `npm start` fall back to serve
// mode, saying why. ELECTRON_OVERRIDE_DIST_PATH names a binary the user already has: it is used as
// is, never replaced by a download.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { displayAvailable, findElectronBinary } from './electron-binary'

export type InstallResult = { ok: true } | { ok: false; reason: string }
export type LaunchPlan = { mode: 'desktop'; binary: string; downloaded: boolean } | { mode: 'serve'; reason: string }

const INSTALL_TIMEOUT_MS = 5 * 60_000

/** Runs Electron's own installer, which downloads the binary for this platform and writes path.txt. */
export function runElectronInstaller(root: string): InstallResult {
  const installer = join(root, 'node_modules', 'electron', 'install.js')
  if (!existsSync(installer)) return { ok: false, reason: 'the electron package is not installed (run npm install)' }
  const result = spawnSync(process.execPath, [installer], {
    cwd: dirname(installer),
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: INSTALL_TIMEOUT_MS
  })
  if (result.error) return { ok: false, reason: result.error.message }
  if (result.status !== 0) {
    const firstLine = result.stderr
      .split('\n')
      .find((line) => line.trim().length > 0)
      ?.trim()
    return { ok: false, reason: firstLine ?? `its installer exited with code ${result.status}` }
  }
  return { ok: true }
}

export interface PlanOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  install?: (root: string) => InstallResult
  /** Where the one-line "downloading" message goes. */
  say?: (line: string) => void
}

export function planLaunch(root: string, options: PlanOptions = {}): LaunchPlan {
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env
  if (!displayAvailable(platform, env)) {
    return { mode: 'serve', reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' }
  }
  const found = findElectronBinary(root, env)
  if (found.ok) return { mode: 'desktop', binary: found.binary, downloaded: false }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return { mode: 'serve', reason: found.reason }
  ;(options.say ?? console.log)('Downloading Electron for the desktop window (first start only)…')
  const installed = (options.install ?? runElectronInstaller)(root)
  if (!installed.ok) return { mode: 'serve', reason: `Electron could not be downloaded: ${installed.reason}` }
  const after = findElectronBinary(root, env)
  return after.ok
    ? { mode: 'desktop', binary: after.binary, downloaded: true }
    : { mode: 'serve', reason: after.reason }
}

/** electron-vite finds Electron through ELECTRON_EXEC_PATH (else it requires path.txt and fails). */
export function electronViteEnv(binary: string, env: NodeJS.ProcessEnv, home?: string): NodeJS.ProcessEnv {
  return { ...env, ELECTRON_EXEC_PATH: binary, ...(home ? { MSB_HOME: home } : {}) }
}
