// Remembers the window's size and place between runs (userData/window-state.json), and never
// restores it somewhere the user cannot see it (a display that was unplugged, a smaller screen).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserWindow, Rectangle } from 'electron'

export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 800, maximized: false }
export const MIN_SIZE = { width: 800, height: 560 }
/** How much of the title bar must be on a display for the saved position to count as visible. */
const VISIBLE_MARGIN = 64

export function windowStateFile(userData: string): string {
  return join(userData, 'window-state.json')
}

export function loadWindowState(file: string, workAreas: Rectangle[]): WindowState {
  let saved: unknown
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return clampToDisplays(DEFAULT_STATE, workAreas)
  }
  return clampToDisplays(parseState(saved), workAreas)
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(file, JSON.stringify(state, null, 2))
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}

function parseState(value: unknown): WindowState {
  if (typeof value !== 'object' || value === null) return DEFAULT_STATE
  const v = value as Record<string, unknown>
  const int = (n: unknown): number | undefined =>
    typeof n === 'number' && Number.isFinite(n) ? Math.round(n) : undefined
  return {
    x: int(v.x),
    y: int(v.y),
    width: int(v.width) ?? DEFAULT_STATE.width,
    height: int(v.height) ?? DEFAULT_STATE.height,
    maximized: v.maximized === true
  }
}

/** Fits the size to the display it is on (or the primary one) and drops a position nobody can see. */
export function clampToDisplays(state: WindowState, workAreas: Rectangle[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_STATE.width, height: DEFAULT_STATE.height }
  const positioned = state.x !== undefined && state.y !== undefined
  const home = positioned ? (workAreas.find((area) => titleBarVisibleOn(state, area)) ?? null) : primary
  const area = home ?? primary
  const width = clamp(state.width, Math.min(MIN_SIZE.width, area.width), area.width)
  const height = clamp(state.height, Math.min(MIN_SIZE.height, area.height), area.height)
  if (!positioned || !home) return { width, height, maximized: state.maximized }
  return {
    x: clamp(state.x!, area.x, area.x + area.width - width),
    y: clamp(state.y!, area.y, area.y + area.height - height),
    width,
    height,
    maximized: state.maximized
  }
}

function titleBarVisibleOn(state: WindowState, area: Rectangle): boolean {
  const left = Math.max(state.x!, area.x)
  const right = Math.min(state.x! + state.width, area.x + area.width)
  const top = state.y!
  return right - left >= VISIBLE_MARGIN && top >= area.y && top <= area.y + area.height - VISIBLE_MARGIN / 2
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(n, min), Math.max(min, max))
}

/** Saves the window's normal (unmaximised) bounds when it closes. */
export function trackWindowState(window: BrowserWindow, file: string): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds()
    saveWindowState(file, { ...bounds, maximized: window.isMaximized() })
  })
}
