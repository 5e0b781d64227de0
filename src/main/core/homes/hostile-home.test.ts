// Homes that would hang or exhaust the explorer where msb's own reading need not: a config.json that is
// a named pipe (every read blocks until a writer comes), one that is a symlink to /dev/zero (never
// ends), one far larger than any config; and a `paths.cache` that points at a directory full of things
// that are not msb's, which the listing must not walk. Each is refused or skipped with a clear word,
// quickly. The CLI runs in a child process with a deadline, so a regression fails instead of hanging.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { REPO_ROOT } from '../../../../test-support/core/crash-runs'
import { buildCache } from '../../demo/build-cache'
import { smallImage } from '../../../../test-support/core/small-scenario'
import { openCache } from '../cache'
import { MAX_CONFIG_BYTES } from './home'

let root: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-hostile-home-'))
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

/** `ice ls --home home` in a child process, killed after 30 s. */
function ls(home: string): { code: number | null; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/main.ts', 'ls', '--home', home], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 1024 * 1024
  })
  return { code: r.status, stderr: r.stderr, timedOut: r.error !== undefined || r.signal !== null }
}

it('a config.json that is a named pipe, a symlink to /dev/zero or over a megabyte: refused at once, with why', () => {
  const cases: [string, (file: string) => void, RegExp][] = [
    ['fifo', (file) => spawnSync('mkfifo', [file]), /is not a regular file \(a named pipe\)/],
    ['zero', (file) => symlinkSync('/dev/zero', file), /is not a regular file \(a character device\)/],
    ['huge', (file) => writeFileSync(file, `{"x":"${'a'.repeat(MAX_CONFIG_BYTES)}"}`), /is too large/]
  ]
  for (const [name, make, message] of cases) {
    const home = join(root, name)
    mkdirSync(home)
    make(join(home, 'config.json'))
    const r = ls(home)
    expect(r.timedOut, name).toBe(false)
    expect(r.code, name).toBe(2)
    expect(r.stderr, name).toMatch(/invalid config: failed to read SDK config at .*config\.json: it /)
    expect(r.stderr, name).toMatch(message)
  }
})

it("a paths.cache holding directories that are not msb's: the listing never walks them", () => {
  const home = join(root, 'wide-cache')
  buildCache(home, [{ reference: 'localhost/wide:1', image: smallImage('wide', []) }])
  const otherTotal = () => {
    const cache = openCache({ home })
    try {
      return cache.usage().totals.find((t) => t.kind === 'other')!
    } finally {
      cache.close()
    }
  }
  const before = otherTotal()
  // What a cache at `/` or `$HOME` holds beside msb's folders: deep trees of someone else's files.
  const foreign = join(home, 'cache', 'somebody-elses')
  let dir = foreign
  for (let depth = 0; depth < 5; depth++) {
    dir = join(dir, `d${depth}`)
    mkdirSync(dir, { recursive: true })
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}`), 'x')
  }
  writeFileSync(join(home, 'cache', 'a-file-beside'), 'abc')
  // The file beside msb's folders counts (lock files are "other" too); nothing below a foreign directory was visited.
  const after = otherTotal()
  expect({ files: after.files - before.files, bytes: after.bytes - before.bytes }).toEqual({ files: 1, bytes: 3 })
})
