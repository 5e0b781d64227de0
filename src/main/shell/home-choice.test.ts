import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../../test-support/electron/fake-electron'))

import { fake, resetFake } from '../../../test-support/electron/fake-electron'
import { chooseHome, initialHome, loadSettings, settingsFile, validateHome } from './home-choice'

let dir: string
let settingsPath: string
beforeEach(() => {
  resetFake()
  dir = mkdtempSync(join(tmpdir(), 'home-choice-'))
  settingsPath = settingsFile(dir)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('validateHome', () => {
  it('accepts a folder with db/ or cache/ as a microsandbox home', () => {
    mkdirSync(join(dir, 'msb', 'db'), { recursive: true })
    expect(validateHome(join(dir, 'msb'))).toEqual({ ok: true, home: join(dir, 'msb'), looksLikeHome: true })
  })

  it('accepts but flags an empty folder', () => {
    expect(validateHome(dir)).toMatchObject({ ok: true, looksLikeHome: false })
  })

  it.each([
    ['a missing folder', () => join(dir, 'missing')],
    ['a file', () => (writeFileSync(join(dir, 'f'), ''), join(dir, 'f'))],
    ['an empty path', () => ''],
    ['a path with NUL', () => `${dir}\0x`]
  ])('refuses %s', (_label, path) => {
    expect(validateHome(path()).ok).toBe(false)
  })
})

describe('settings and initial home', () => {
  it('prefers MSB_HOME, then the remembered home, then the core default', () => {
    expect(initialHome({ home: dir }, { MSB_HOME: '/from/env' })).toBeUndefined()
    expect(initialHome({ home: dir }, {})).toBe(dir)
    expect(initialHome({ home: join(dir, 'deleted') }, {})).toBeUndefined()
    expect(initialHome({}, {})).toBeUndefined()
  })

  it('reads only a string home from settings.json', () => {
    expect(loadSettings(settingsPath)).toEqual({})
    writeFileSync(settingsPath, JSON.stringify({ home: 42 }))
    expect(loadSettings(settingsPath)).toEqual({})
    writeFileSync(settingsPath, '[')
    expect(loadSettings(settingsPath)).toEqual({})
  })
})

describe('chooseHome', () => {
  it('remembers and opens a valid home', async () => {
    mkdirSync(join(dir, 'msb', 'cache'), { recursive: true })
    fake.openDialogAnswers.push({ canceled: false, filePaths: [join(dir, 'msb')] })
    const open = vi.fn()
    await expect(chooseHome({ window: null, current: dir, settingsPath, open })).resolves.toBe(join(dir, 'msb'))
    expect(open).toHaveBeenCalledWith(join(dir, 'msb'))
    expect(JSON.parse(readFileSync(settingsPath, 'utf8'))).toEqual({ home: join(dir, 'msb') })
  })

  it('does nothing when cancelled', async () => {
    const open = vi.fn()
    await expect(chooseHome({ window: null, current: dir, settingsPath, open })).resolves.toBeNull()
    expect(open).not.toHaveBeenCalled()
    expect(loadSettings(settingsPath)).toEqual({})
  })

  it('refuses a file with an error message and keeps the old home', async () => {
    writeFileSync(join(dir, 'file'), '')
    fake.openDialogAnswers.push({ canceled: false, filePaths: [join(dir, 'file')] })
    const open = vi.fn()
    await expect(chooseHome({ window: null, current: dir, settingsPath, open })).resolves.toBeNull()
    expect(open).not.toHaveBeenCalled()
    expect(fake.messageBoxes[0]).toMatchObject({ type: 'error' })
  })

  it('asks before opening a folder that has no cache, and respects Cancel', async () => {
    fake.openDialogAnswers.push({ canceled: false, filePaths: [dir] })
    fake.messageBoxAnswers.push(1)
    const open = vi.fn()
    await expect(chooseHome({ window: null, current: dir, settingsPath, open })).resolves.toBeNull()
    expect(open).not.toHaveBeenCalled()
  })
})
