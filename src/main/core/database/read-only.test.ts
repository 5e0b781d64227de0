// Browsing never changes the cache. A cache built by the real msb 0.6.18 is snapshotted (every file and directory
// under the home: size, mtime, sha256 of the bytes; plus a logical dump of the database through a separate
// connection, so rows still in the WAL count) before and after every read operation of the core and the CLI.
//
// SQLite's `-shm` file is excluded (see cache-snapshot.ts): it is the WAL's shared-memory index, which any reader,
// msb's included, updates by reading (read marks); its bytes are not cache content and are rebuilt when missing.
import Database from 'better-sqlite3'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileSnapshot, logicalDump } from '../../../../test-support/fixtures/cache-snapshot'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { runMsb } from '../../demo/msb'
import { type BuiltScenario, buildScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'

let root: string
let home: string
let built: BuiltScenario

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-read-only-'))
  home = join(root, 'home')
  built = buildScenario(home, standardScenario())
  // The fixture's own row writes fold the WAL away when they close; msb usually leaves its WAL in place. Let msb run
  // last, so the home is exactly as a user's msb leaves it. msb 0.6.18 exits without closing its pool about 19 times
  // in 20; the 20th closes it cleanly and SQLite folds the WAL away (the case the last test covers). Run it again then:
  // this file's point is rows still in the WAL.
  for (let run = 0; run < 10 && !readdirSync(join(home, 'db')).includes('msb.db-wal'); run++) {
    runMsb(home, ['image', 'ls'])
  }
  expect(readdirSync(join(home, 'db'))).toContain('msb.db-wal')
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

function state(h: string) {
  return { files: fileSnapshot(h), rows: logicalDump(join(h, 'db', 'msb.db')) }
}

describe('reading leaves the cache unchanged', () => {
  it('status, list, get, inspect, insight, usage, prunePlan and removePlan of every kind', () => {
    const before = state(home)
    const cache = openCache({ home })
    try {
      const references = [...built.references.keys()]
      cache.status()
      expect(cache.list()).toHaveLength(references.length)
      cache.listRows()
      for (const reference of references) {
        cache.get({ reference })
        cache.inspect({ reference })
        cache.inspectRows(reference)
        cache.insight({ reference })
        cache.removePlan({ references: [reference], force: true })
        try {
          cache.removePlan({ references: [reference], force: false })
        } catch (error) {
          // An image in use can't be removed without force: a refusal, not a change.
          expect((error as { code: string }).code).toBe('ImageInUse')
        }
      }
      cache.usage()
      cache.prunePlan({ scope: { kind: 'unused' } })
      cache.prunePlan({ scope: { kind: 'dangling' } })
      cache.prunePlan({ scope: { kind: 'images', references } })
      cache.removePlan({ references, force: true })
      // While the explorer is still open, and after it closed.
      expect(state(home)).toEqual(before)
    } finally {
      cache.close()
    }
    expect(state(home)).toEqual(before)
  })

  it('the CLI: ls, inspect, df (human and --json), rm --dry-run and prune --dry-run', async () => {
    const before = state(home)
    const commands = [
      ['ls'],
      ['ls', '--json'],
      ['df'],
      ['df', '--json'],
      ['inspect', 'alpine'],
      ['inspect', 'alpine', '--json'],
      ['inspect', 'localhost:5000/team/app:1.0'],
      ['rm', '--dry-run', 'busybox'],
      ['rm', '--dry-run', '--force', 'localhost:5000/team/app:1.0'],
      ['prune', '--dry-run'],
      ['prune', '--dry-run', '--dangling'],
      ['prune', '--dry-run', '--json', '--image', 'busybox']
    ]
    for (const args of commands) {
      const r = await runCli([...args, '--home', home])
      expect(r.code, args.join(' ')).toBe(0)
    }
    expect(state(home)).toEqual(before)
  })

  it('a refused write (image in use) changes nothing either', () => {
    const before = state(home)
    const cache = openCache({ home })
    try {
      expect(() => cache.remove({ references: ['localhost:5000/team/app:1.0'], force: false })).toThrow(
        expect.objectContaining({ code: 'ImageInUse' })
      )
    } finally {
      cache.close()
    }
    expect(state(home)).toEqual(before)
  })

  it('a database whose WAL was checkpointed away: msb.db and the cache stay byte-identical', () => {
    // After a clean shutdown of the last read-write connection SQLite folds the WAL into msb.db and deletes it.
    // Opening a WAL database, even read-only, then makes SQLite create an empty `-wal` (and the `-shm` index): the
    // same files msb's next start creates. That is the one trace reading can leave; the content does not change.
    const copy = join(root, 'checkpointed')
    cpSync(home, copy, { recursive: true })
    const db = new Database(join(copy, 'db', 'msb.db'))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const before = fileSnapshot(copy)
    const dbBytes = readFileSync(join(copy, 'db', 'msb.db'))
    const cache = openCache({ home: copy })
    try {
      cache.list()
      cache.usage()
      cache.insight({ reference: 'alpine' })
    } finally {
      cache.close()
    }
    const after = fileSnapshot(copy)
    const added = Object.keys(after).filter((p) => !(p in before))
    expect(added.every((p) => p === join('db', 'msb.db-wal'))).toBe(true)
    if (added.length) expect(statSync(join(copy, 'db', 'msb.db-wal')).size).toBe(0)
    expect(readFileSync(join(copy, 'db', 'msb.db')).equals(dbBytes)).toBe(true)
    for (const [path, st] of Object.entries(before)) {
      if (path === 'db') continue // its mtime moves when the side files appear
      expect(after[path], path).toEqual(st)
    }
    expect(readdirSync(join(copy, 'cache')).sort()).toEqual(readdirSync(join(home, 'cache')).sort())
  })
})
