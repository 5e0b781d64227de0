// Every other file the core locks or that SQLite holds, checked the way the database is (issue 26): a lock
// the explorer holds survives everything the explorer itself does beside it. The removal's owner lock is
// a SQLite side database (POSIX locks, so only SQLite may open it); msb's storage leases are flock(2)
// locks, which belong to one open file description, so another descriptor's close leaves them; the EROFS
// reader and the image records msb leaves in manifests/ never open a file SQLite has open, even under another name.
import { execFileSync, spawnSync } from 'node:child_process'
import { closeSync, linkSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { REPO_ROOT } from '../../../../test-support/core/crash-runs'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'
import { parseLocks } from '../writing/concurrent-msb'
import { tryExclusiveLease } from './storage-lease'
import { OwnerLock } from './owner-lock'

const dirs: string[] = []
let small: string

beforeAll(() => {
  const dir = tempDir('ice-locked-files-')
  dirs.push(dir)
  small = join(dir, 'small')
  buildScenario(small, smallScenario())
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function ownLocksOn(path: string): number {
  const inode = String(statSync(path).ino)
  return parseLocks(readFileSync('/proc/locks', 'utf8')).filter((l) => l.pid === process.pid && l.inode === inode)
    .length
}

/** Whether another process can take the owner lock at `path` now. */
function otherProcessAcquires(path: string): boolean {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1], { timeout: 0 });
    try { db.exec('BEGIN EXCLUSIVE'); console.log('took') } catch (e) { console.log(e.code) }`
  const r = spawnSync(process.execPath, ['-e', script, path], { cwd: REPO_ROOT, encoding: 'utf8' })
  return r.stdout.trim() === 'took'
}

describe('the removal owner lock (a SQLite side database)', () => {
  it('survives a second attempt from the same process; another process still cannot take it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ice-owner-'))
    dirs.push(dir)
    const path = join(dir, 'x.owner')
    const lock = OwnerLock.acquire(path)
    try {
      expect(ownLocksOn(path)).toBeGreaterThan(0)
      // A recovery in another core of this process (the window's and the worker's) finds it held, and lets go.
      expect(OwnerLock.tryAcquire(path)).toBeNull()
      expect(ownLocksOn(path)).toBeGreaterThan(0)
      expect(otherProcessAcquires(path)).toBe(false)
    } finally {
      lock.release()
    }
    expect(readdirSync(dir)).toEqual([])
  })
})

describe("msb's storage leases (flock)", () => {
  it('another descriptor of the lease file opened and closed in this process leaves the lease held', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ice-lease-'))
    dirs.push(dir)
    const lease = tryExclusiveLease(join(dir, 'abc.erofs'))
    expect(lease).not.toBeNull()
    try {
      closeSync(openSync(lease!.path, 'r'))
      const probe = `import fcntl,os,sys
fd=os.open(sys.argv[1], os.O_RDWR)
try:
  fcntl.flock(fd, fcntl.LOCK_EX|fcntl.LOCK_NB); print('took')
except BlockingIOError:
  print('held')`
      expect(execFileSync('python3', ['-c', probe, lease!.path], { encoding: 'utf8' }).trim()).toBe('held')
    } finally {
      lease!.release()
    }
  })
})

describe('the EROFS reader', () => {
  it('refuses a layer file that is a hard link to msb.db before opening it; SQLite keeps its locks', () => {
    const home = copyHome(small)
    dirs.push(dirname(home))
    const dbPath = join(home, 'db', 'msb.db')
    const cache = openCache({ home })
    try {
      const detail = cache.inspect({ reference: 'localhost/solo:1' })
      const layers = join(home, 'cache', 'layers')
      expect(detail.layers.length).toBeGreaterThan(0)
      // Every layer of solo becomes msb.db under its layer name.
      for (const l of detail.layers) {
        const file = join(layers, `${l.diffId.replace(':', '_')}.erofs`)
        rmSync(file)
        linkSync(dbPath, file)
      }
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
      // Each layer says why it could not be read (the file view goes on with the others).
      const files = cache.imageFiles({ reference: 'localhost/solo:1' })
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
      for (const l of files.layers) expect(l.error).toMatch(/SQLite database file the explorer has open \(a hard link/)
      expect(() => cache.imageFiles({ reference: 'localhost/solo:1', layer: 0 })).toThrow(/hard link/)
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
    } finally {
      cache.close()
    }
  })
})

describe('image records in manifests/', () => {
  it("a record hard-linked to msb.db is not opened: a removal beside it keeps SQLite's locks", () => {
    const home = copyHome(small)
    dirs.push(dirname(home))
    const dbPath = join(home, 'db', 'msb.db')
    // Named as msb names its records (sha256 of a reference), one this home does not own.
    linkSync(dbPath, join(home, 'cache', 'manifests', `${'e'.repeat(64)}.json`))
    const cache = openCache({ home, graceMs: 0 })
    try {
      const plan = cache.removePlan({ references: ['localhost/solo:1'], force: false })
      cache.remove({ references: ['localhost/solo:1'], force: false, fingerprint: plan.fingerprint })
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
    } finally {
      cache.close()
    }
  })
})
