// Every vitest file runs with this guard (vitest.config.ts `setupFiles`): product code that opens a
// SQLite database file (msb.db, its -wal, -shm or -journal, the removal's `.owner` lock) with `fs`
// fails the test that reached it. SQLite's locks are POSIX advisory locks, which belong to the process:
// one `close()` of any descriptor of that file drops them all, and another client then deletes the WAL
// under the explorer (issue 26). Only SQLite may open these files in a process that may hold a
// connection to them. Tests and test-support may (they copy and hash homes); the guard looks at who called.
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { afterEach } from 'vitest'

/** The names SQLite gives its files here: msb's database and its side files, and the removal lock. */
export const DATABASE_FILE = /(\.db|\.owner)(-wal|-shm|-journal)?$/

/** The `fs` functions that open a file by path (and close it again). */
const OPENERS = [
  'open',
  'openSync',
  'readFile',
  'readFileSync',
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createReadStream',
  'createWriteStream',
  'copyFile',
  'copyFileSync',
  'cp',
  'cpSync',
  'truncate',
  'truncateSync'
] as const
const PROMISE_OPENERS = ['open', 'readFile', 'writeFile', 'appendFile', 'copyFile', 'cp', 'truncate'] as const

const violations: string[] = []

/** The first caller outside Node and this file, when it is product code (src/, not a test). */
function productCaller(): string | null {
  const frames = (new Error().stack ?? '').split('\n').slice(1)
  for (const frame of frames) {
    if (frame.includes('node:') || frame.includes('database-open-guard')) continue
    const inProduct = /[/\\]src[/\\]/.test(frame) && !/\.test\.ts/.test(frame)
    return inProduct ? frame.trim() : null
  }
  return null
}

function pathsOf(args: unknown[]): string[] {
  return args.slice(0, 2).flatMap((a) => {
    if (typeof a === 'string') return [a]
    if (a instanceof URL && a.protocol === 'file:') return [a.pathname]
    if (Buffer.isBuffer(a)) return [a.toString()]
    return []
  })
}

function wrap(target: Record<string, unknown>, name: string, label: string): void {
  const original = target[name]
  if (typeof original !== 'function') return
  target[name] = function guarded(this: unknown, ...args: unknown[]) {
    const hit = pathsOf(args).find((p) => DATABASE_FILE.test(p))
    if (hit) {
      const caller = productCaller()
      if (caller) violations.push(`${label}(${hit}) ${caller}`)
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  }
}

for (const name of OPENERS) wrap(fs, name, `fs.${name}`)
for (const name of PROMISE_OPENERS) wrap(fs.promises, name, `fs.promises.${name}`)
syncBuiltinESMExports()

/** The violations so far (for the guard's own test); each is `fs.fn(path) caller`. */
export function databaseOpens(): readonly string[] {
  return violations
}

afterEach(() => {
  if (violations.length === 0) return
  const found = violations.splice(0)
  throw new Error(
    `product code opened a SQLite database file with fs, which drops SQLite's locks on it (issue 26):\n${found.join('\n')}`
  )
})
