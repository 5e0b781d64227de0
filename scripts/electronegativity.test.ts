// The Electron security scan must be able to fail: on a window built the unsafe way it reports
// unaccepted HIGH/MEDIUM findings and exits non-zero; on our sources it passes (every finding is
// either test code or accepted with a reason).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const scan = (dir?: string) =>
  spawnSync(tsx, [join(root, 'scripts', 'electronegativity.ts'), ...(dir ? [dir] : [])], {
    cwd: root,
    encoding: 'utf8'
  })

describe('electronegativity scan', () => {
  const unsafe = mkdtempSync(join(tmpdir(), 'eneg-'))
  afterAll(() => rmSync(unsafe, { recursive: true, force: true }))

  it('fails on a window without context isolation and sandbox', () => {
    writeFileSync(
      join(unsafe, 'window.ts'),
      `import { BrowserWindow } from 'electron'\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })\n`
    )
    const result = scan(unsafe)
    expect(result.status).toBe(1)
    expect(result.stdout).toMatch(/FAIL\s+HIGH\/\w+ CONTEXT_ISOLATION_JS_CHECK/)
  })

  it('passes on the app sources with every finding explained', () => {
    const result = scan()
    expect(result.stdout).toMatch(/0 unaccepted at MEDIUM or HIGH/)
    expect(result.status).toBe(0)
  })
})
