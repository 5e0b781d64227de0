// Which microsandbox home the window shows, and the "Open microsandbox home…" menu action.
//
// Precedence at start: MSB_HOME in the environment (the same variable msb honours, so
// `MSB_HOME=… npm start` and the e2e suite are deterministic), then the home the user last chose
// (userData/settings.json), then the core's default (~/.microsandbox, or config.json's).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { dialog } from 'electron'
import type { BrowserWindow } from 'electron'

export interface Settings {
  home?: string
}

export function settingsFile(userData: string): string {
  return join(userData, 'settings.json')
}

export function loadSettings(file: string): Settings {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (typeof parsed !== 'object' || parsed === null) return {}
    const home = (parsed as Record<string, unknown>).home
    return typeof home === 'string' && home.length > 0 ? { home } : {}
  } catch {
    return {}
  }
}

export function saveSettings(file: string, settings: Settings): void {
  writeFileSync(file, JSON.stringify(settings, null, 2))
}

/** undefined lets the core resolve the default home itself. */
export function initialHome(settings: Settings, env: NodeJS.ProcessEnv): string | undefined {
  if (env.MSB_HOME) return undefined // the core reads MSB_HOME itself
  return settings.home && validateHome(settings.home).ok ? settings.home : undefined
}

export type HomeCheck = { ok: true; home: string; looksLikeHome: boolean } | { ok: false; reason: string }

/** A home must be an existing directory; one with neither db/ nor cache/ is allowed but flagged. */
export function validateHome(candidate: string): HomeCheck {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.includes('\0')) {
    return { ok: false, reason: 'No folder was chosen.' }
  }
  const home = resolve(candidate)
  let isDirectory: boolean
  try {
    isDirectory = statSync(home).isDirectory()
  } catch {
    return { ok: false, reason: `${home} does not exist.` }
  }
  if (!isDirectory) return { ok: false, reason: `${home} is not a folder.` }
  const looksLikeHome = existsSync(join(home, 'db')) || existsSync(join(home, 'cache'))
  return { ok: true, home, looksLikeHome }
}

/**
 * Asks for a folder; on a valid choice remembers it and calls `open(home)`.
 * Returns the chosen home, or null when the user cancelled or the folder was refused.
 */
export async function chooseHome(options: {
  window: BrowserWindow | null
  current: string
  settingsPath: string
  open: (home: string) => Promise<void> | void
}): Promise<string | null> {
  const dialogOptions = {
    title: 'Open microsandbox home',
    buttonLabel: 'Open',
    defaultPath: options.current,
    properties: ['openDirectory', 'showHiddenFiles'] as Array<'openDirectory' | 'showHiddenFiles'>
  }
  const picked = options.window
    ? await dialog.showOpenDialog(options.window, dialogOptions)
    : await dialog.showOpenDialog(dialogOptions)
  if (picked.canceled || picked.filePaths.length === 0) return null
  const check = validateHome(picked.filePaths[0])
  if (!check.ok) {
    await dialog.showMessageBox({ type: 'error', message: 'Cannot open this folder', detail: check.reason })
    return null
  }
  if (!check.looksLikeHome) {
    const answer = await dialog.showMessageBox({
      type: 'question',
      message: 'This folder has no microsandbox cache yet',
      detail: `${check.home} has neither db/ nor cache/. Open it anyway? It will show as an empty cache.`,
      buttons: ['Open Anyway', 'Cancel'],
      defaultId: 1,
      cancelId: 1
    })
    if (answer.response !== 0) return null
  }
  saveSettings(options.settingsPath, { home: check.home })
  await options.open(check.home)
  return check.home
}
