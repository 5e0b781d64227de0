// The explorer never breaks SQLite's locks on msb's database (issue 26). POSIX advisory locks belong to
// the process: closing any descriptor of msb.db drops every lock SQLite holds on it, and then another
// client (msb, the sqlite3 shell) believes it is the last one, checkpoints and deletes the WAL under
// the explorer. Proven with the kernel's own table (/proc/locks) and with a real `sqlite3` beside it.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyHome, tempDir } from '../../../test-support/core/cache-dump'
import { smallScenario } from '../../../test-support/core/small-scenario'
import { buildScenario } from '../../../test-support/fixtures/scenarios'
import { openCache } from './cache'
import { parseLocks } from './concurrent-msb'

const dirs: string[] = []
let small: string

beforeAll(() => {
  const dir = tempDir('ice-sqlite-locks-')
  dirs.push(dir)
  small = join(dir, 'small')
  buildScenario(small, smallScenario())
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function home(): string {
  const h = copyHome(small)
  dirs.push(dirname(h))
  return h
}

/** The locks this process holds on `path`, from the kernel's table. */
function ownLocksOn(path: string): number {
  const inode = String(statSync(path).ino)
  return parseLocks(readFileSync('/proc/locks', 'utf8')).filter((l) => l.pid === process.pid && l.inode === inode)
    .length
}

function sqlite3(dbPath: string, sql: string): string {
  return execFileSync('sqlite3', [dbPath, sql], { encoding: 'utf8' }).trim()
}

describe('SQLite locks beside the explorer', () => {
  it('two cores in one process (the window and its worker) keep their locks; an outside sqlite3 leaves the WAL', () => {
    const h = home()
    const dbPath = join(h, 'db', 'msb.db')
    const window = openCache({ home: h })
    const worker = openCache({ home: h })
    try {
      window.list({})
      worker.list({})
      window.status()
      worker.usage({})
      // SQLite's lock on msb.db (and its -shm) are still there after both opened and checked the file.
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
      expect(ownLocksOn(`${dbPath}-shm`)).toBeGreaterThan(0)
      const wal = statSync(`${dbPath}-wal`).ino
      expect(sqlite3(dbPath, 'select count(*) from image_ref')).toBe('9')
      // The outside client saw another reader and left the WAL in place.
      expect(statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.ino).toBe(wal)
      expect(window.list({})).toHaveLength(9)
    } finally {
      window.close()
      worker.close()
    }
  })
})
