import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEMO_HOME_PREFIX, discardDemoHome } from './demo-home'

describe('discardDemoHome', () => {
  it('deletes a demo home and refuses anything else, a symlink named like one included', () => {
    const demo = mkdtempSync(join(tmpdir(), DEMO_HOME_PREFIX))
    mkdirSync(join(demo, 'db'))
    discardDemoHome(demo)
    expect(existsSync(demo)).toBe(false)

    const other = mkdtempSync(join(tmpdir(), 'ice-not-demo-'))
    expect(() => discardDemoHome(other)).toThrow(/not a demo cache home/)
    expect(() => discardDemoHome(join(other, `${DEMO_HOME_PREFIX}x`))).toThrow(/not a demo cache home/)
    const link = join(tmpdir(), `${DEMO_HOME_PREFIX}link-${process.pid}`)
    symlinkSync(other, link)
    expect(() => discardDemoHome(link)).toThrow(/not a demo cache home/)
    expect(existsSync(other)).toBe(true)
    rmSync(link)
    rmSync(other, { recursive: true })
  })
})
