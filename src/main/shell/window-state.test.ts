import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../../test-support/electron/fake-electron'))

import { BrowserWindow, resetFake } from '../../../test-support/electron/fake-electron'
import { clampToDisplays, DEFAULT_STATE, loadWindowState, trackWindowState, windowStateFile } from './window-state'

const laptop = { x: 0, y: 0, width: 1440, height: 900 }
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1440 }

let dir: string
beforeEach(() => {
  resetFake()
  dir = mkdtempSync(join(tmpdir(), 'window-state-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('clampToDisplays', () => {
  it('keeps a position that is visible on a display', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, maximized: false }
    expect(clampToDisplays(state, [laptop, rightMonitor])).toEqual(state)
  })

  it('drops the position of a window on a display that is gone', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, maximized: true }
    expect(clampToDisplays(state, [laptop])).toEqual({ width: 1200, height: 800, maximized: true })
  })

  it('drops a position whose title bar is off screen (above or hidden)', () => {
    expect(clampToDisplays({ x: 100, y: -500, width: 1000, height: 700, maximized: false }, [laptop]).x).toBeUndefined()
    expect(clampToDisplays({ x: -990, y: 10, width: 1000, height: 700, maximized: false }, [laptop]).x).toBeUndefined()
  })

  it('shrinks a window larger than its display and pulls it fully onto it', () => {
    const clamped = clampToDisplays({ x: 400, y: 300, width: 3000, height: 2000, maximized: false }, [laptop])
    expect(clamped).toEqual({ x: 0, y: 0, width: 1440, height: 900, maximized: false })
  })

  it('enforces a minimum size', () => {
    const clamped = clampToDisplays({ width: 10, height: 10, maximized: false }, [laptop])
    expect(clamped.width).toBeGreaterThanOrEqual(800)
    expect(clamped.height).toBeGreaterThanOrEqual(560)
  })
})

describe('loadWindowState', () => {
  it('falls back to the default when the file is missing or corrupt', () => {
    const file = windowStateFile(dir)
    expect(loadWindowState(file, [rightMonitor])).toEqual(DEFAULT_STATE)
    writeFileSync(file, '{not json')
    expect(loadWindowState(file, [rightMonitor])).toEqual(DEFAULT_STATE)
    writeFileSync(file, JSON.stringify({ width: 'huge', x: null }))
    expect(loadWindowState(file, [rightMonitor])).toEqual(DEFAULT_STATE)
  })

  it('round-trips what trackWindowState saved on close', () => {
    const file = windowStateFile(dir)
    const window = new BrowserWindow({ x: 50, y: 60, width: 1000, height: 700 })
    window.maximized = true
    trackWindowState(window as never, file)
    window.emit('close')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 50, y: 60, width: 1000, height: 700, maximized: true })
    expect(loadWindowState(file, [laptop])).toEqual({ x: 50, y: 60, width: 1000, height: 700, maximized: true })
  })
})
