// The explorer never breaks SQLite's locks on msb's database (issue 26). POSIX advisory locks belong to
// the process: closing any descriptor of msb.db drops every lock SQLite holds on it, and then another
// client (msb, the sqlite3 shell) believes it is the last one, checkpoints and deletes the WAL under
// the explorer. Proven with the kernel's own table (/proc/locks) and with a real `sqlite3` beside it.
import { execFileSync, spawn } from 'node:child_process'
import { linkSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { SMALL_BASE, smallImage, smallScenario } from '../../../../test-support/core/small-scenario'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { buildCache } from '../../demo/build-cache'
import { MSB_VERSIONS, type MsbVersion, msbJson, runMsb } from '../../demo/msb'
import { checkImages } from '../../../../test-support/core/image-integrity'
import { cachePaths } from '../../../../test-support/core/cache-dump'
import { openCache } from '../cache'
import { readCacheState } from './cache-state'
import { parseLocks } from '../writing/concurrent-msb'
import { decidePruneImages, indexState } from '../planning/deletion-plan'
import { locateCache } from '../homes/home'
import { runWrite } from '../writing/write-operation'
import { openCacheSession } from '../../transport/cache-session'
import { createLeaseFiles, leaseFileOf } from '../locks/storage-lease'

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

  it('lease files made ahead of a large removal never open msb.db hard-linked where a lease file goes', () => {
    const h = home()
    const dbPath = join(h, 'db', 'msb.db')
    const entry = join(h, 'cache', 'layers', 'some.erofs')
    const cache = openCache({ home: h })
    try {
      cache.list({})
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
      mkdirSync(dirname(leaseFileOf(entry)), { recursive: true })
      linkSync(dbPath, leaseFileOf(entry))
      createLeaseFiles([entry], new Map()).wait()
      // Opening and closing that name would have dropped every lock SQLite holds on the file.
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
    } finally {
      cache.close()
    }
  })
})

/** A copy of the small home whose WAL is folded into msb.db, so deleting the WAL loses nothing but the files. */
function checkpointedHome(): string {
  const h = home()
  sqlite3(join(h, 'db', 'msb.db'), 'pragma wal_checkpoint(TRUNCATE)')
  return h
}

/** What a user's `rm` does to the files SQLite keeps open. */
function deleteSideFiles(dbPath: string): void {
  rmSync(`${dbPath}-wal`)
  rmSync(`${dbPath}-shm`)
}

const listed = (h: string) =>
  msbJson<{ reference: string }[]>(h, ['image', 'ls'])
    .map((i) => i.reference)
    .sort()

describe('a WAL and SHM deleted under the explorer', () => {
  it('the next read reopens the database; a removal afterwards lands in the file msb reads, with exactly its files gone', () => {
    const h = checkpointedHome()
    const dbPath = join(h, 'db', 'msb.db')
    const window = openCache({ home: h, graceMs: 0 })
    const worker = openCache({ home: h, graceMs: 0 })
    try {
      expect(window.list({})).toHaveLength(9)
      expect(worker.list({})).toHaveLength(9)
      deleteSideFiles(dbPath)
      // msb goes on in a fresh WAL of its own: it removes an image the explorer's old WAL still shows.
      expect(execFileSync('sqlite3', [dbPath, "delete from image_ref where reference = 'busybox'"]).length).toBe(0)
      // The worker notices first: it lets go of the deleted files, but its fresh connection would inherit the -shm
      // mapping the window's connection still holds, so it refuses to read through it (the session then asks the
      // window's core, cache-session.ts). The window reopens on the new files; then the worker too.
      expect(() => worker.list({})).toThrow(
        expect.objectContaining({ code: 'Busy', details: { sideFiles: 'replaced' } })
      )
      expect(window.list({}).map((i) => i.reference)).not.toContain('busybox')
      expect(worker.list({})).toHaveLength(8)
      const before = cachePaths(h)
      const plan = window.removePlan({ references: ['localhost/solo:1'], force: false })
      window.remove({ references: ['localhost/solo:1'], force: false, fingerprint: plan.fingerprint })
      const planned = new Set(plan.files.map((f) => f.path))
      expect(planned.size).toBeGreaterThan(0)
      // Each file with its lock file, as msb removes them.
      expect(cachePaths(h)).toEqual(before.filter((p) => !planned.has(p.replace(/\.lock$/, ''))))
    } finally {
      window.close()
      worker.close()
    }
    expect(listed(h)).not.toContain('localhost/solo:1')
    expect(listed(h)).toHaveLength(7)
    expect(checkImages(h).broken).toEqual([])
  })

  it("in a session (the window's core and its worker thread) the next read just answers, with msb's new state", async () => {
    const h = checkpointedHome()
    const dbPath = join(h, 'db', 'msb.db')
    const session = openCacheSession({
      home: h,
      env: {},
      workerUrl: new URL('../../transport/core-worker.ts', import.meta.url),
      execArgv: ['--import', 'tsx']
    })
    try {
      expect(await session.api.list({})).toHaveLength(9)
      await session.api.usage({})
      deleteSideFiles(dbPath)
      sqlite3(dbPath, "delete from image_ref where reference = 'busybox'")
      // In-process first, then the worker (usage); neither call shows an error.
      expect((await session.api.list({})).map((i) => i.reference)).not.toContain('busybox')
      expect((await session.api.usage({})).images.map((i) => i.reference)).not.toContain('busybox')
      expect(await session.api.list({})).toHaveLength(8)
    } finally {
      await session.close()
    }
  })

  it('deleted while a removal is in its transaction: the removal fails with nothing changed and no file deleted', () => {
    const h = checkpointedHome()
    const dbPath = join(h, 'db', 'msb.db')
    const rowsBefore = execFileSync('sqlite3', [dbPath, 'select count(*) from image_ref']).toString().trim()
    const files = cachePaths(h)
    const location = locateCache({ home: h })
    // The write reads once, in the read transaction its decision comes from (a batch reads again only when
    // another connection committed): the side files go right there, so its BEGIN IMMEDIATE runs on them gone.
    expect(() =>
      runWrite(
        location,
        {
          graceMs: 0,
          read: (db) => {
            const state = readCacheState(db)
            deleteSideFiles(dbPath)
            return { state, ix: indexState(state) }
          }
        },
        (state, ix) => ({ decision: decidePruneImages(state, ['localhost/solo:1'], ix), differences: [] })
      )
    ).toThrow(expect.objectContaining({ code: 'Busy', message: expect.stringMatching(/deleted or replaced/) }))
    expect(cachePaths(h)).toEqual(files)
    expect(execFileSync('sqlite3', [dbPath, 'select count(*) from image_ref']).toString().trim()).toBe(rowsBefore)
    expect(listed(h)).toContain('localhost/solo:1')
    expect(checkImages(h).broken).toEqual([])
  })
})

describe.each(MSB_VERSIONS)('msb %s beside the open window', (version: MsbVersion) => {
  it('image ls, load, rm, prune and sqlite3 never disturb it; its removal and prune land in the database msb reads', () => {
    const dir = tempDir('ice-sqlite-locks-msb-')
    dirs.push(dir)
    const h = join(dir, 'home')
    buildScenario(h, smallScenario(), { msb: version })
    const dbPath = join(h, 'db', 'msb.db')
    const window = openCache({ home: h, graceMs: 0 })
    const worker = openCache({ home: h, graceMs: 0 })
    try {
      expect(worker.list({})).toHaveLength(9)
      const wal = statSync(`${dbPath}-wal`).ino
      // msb's prune takes every image no sandbox uses; the load afterwards brings some back for the window to remove.
      const reload = [
        { reference: 'localhost/extra:1', image: smallImage('extra', [SMALL_BASE]) },
        { reference: 'localhost/solo:1', image: smallImage('solo', [], 8) },
        { reference: 'localhost/web:1', image: smallImage('web', [SMALL_BASE]) },
        { reference: 'localhost/web:stable', image: smallImage('web', [SMALL_BASE]) }
      ]
      const outside: [string, () => void][] = [
        ['msb image ls', () => runMsb(h, ['image', 'ls'], { msb: version })],
        ['sqlite3', () => sqlite3(dbPath, 'select count(*) from image_ref')],
        ['msb image rm', () => runMsb(h, ['image', 'rm', 'localhost/api:1'], { msb: version })],
        ['msb image prune', () => runMsb(h, ['image', 'prune', '-y'], { msb: version })],
        ['msb load', () => buildCache(h, reload, { msb: version })]
      ]
      for (const [name, run] of outside) {
        run()
        // The window answers as msb does, and its locks and the WAL under it are still there.
        expect(
          window
            .list({})
            .map((i) => i.reference)
            .sort(),
          name
        ).toEqual(listed(h))
        expect(window.status().revision, name).toBeTruthy()
        worker.usage({})
        expect(ownLocksOn(dbPath), name).toBeGreaterThan(0)
        expect(statSync(`${dbPath}-wal`).ino, name).toBe(wal)
      }
      runMsb(h, ['image', 'rm', 'localhost/web:stable'], { msb: version })
      const before = cachePaths(h)
      const plan = worker.removePlan({ references: ['localhost/solo:1'], force: false })
      worker.remove({ references: ['localhost/solo:1'], force: false, fingerprint: plan.fingerprint })
      const prunePlan = worker.prunePlan({ scope: { kind: 'images', references: ['localhost/web:1'] } })
      worker.prune({ scope: { kind: 'images', references: ['localhost/web:1'] }, fingerprint: prunePlan.fingerprint })
      expect(
        window
          .list({})
          .map((i) => i.reference)
          .sort()
      ).toEqual(listed(h))
      const planned = new Set([...plan.files, ...prunePlan.files].map((f) => f.path))
      expect(planned.size).toBeGreaterThan(0)
      expect(cachePaths(h)).toEqual(before.filter((p) => !planned.has(p.replace(/\.lock$/, ''))))
      expect(ownLocksOn(dbPath)).toBeGreaterThan(0)
      expect(statSync(`${dbPath}-wal`).ino).toBe(wal)
    } finally {
      window.close()
      worker.close()
    }
    const after = listed(h)
    expect(after).not.toContain('localhost/solo:1')
    expect(after).not.toContain('localhost/web:1')
    expect(after).toContain('localhost/extra:1')
    expect(checkImages(h).broken).toEqual([])
  })
})

describe('a WAL and SHM deleted during the grace period of a removal', () => {
  it('every file moved aside is put back: the re-read went through a log msb no longer writes', async () => {
    const h = checkpointedHome()
    const dbPath = join(h, 'db', 'msb.db')
    const files = cachePaths(h)
    // Waits until the removal has moved its first file aside into the trash, then deletes the side files.
    // (It gives up after a while, so a missed window fails the test instead of hanging it.) It says when it
    // watches, and the removal starts only then: on a loaded machine Python's start can outlast the grace.
    const script = `import glob,os,sys,time
print('watching', flush=True)
for _ in range(4000):
  if glob.glob(os.path.join(sys.argv[1], 'cache', 'tmp', 'explorer-trash', '*', 'layers__*')):
    os.remove(sys.argv[2] + '-wal'); os.remove(sys.argv[2] + '-shm'); print('deleted', flush=True); sys.exit()
  time.sleep(0.005)
print('missed', flush=True)`
    const child = spawn('python3', ['-c', script, h, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] })
    // Every line the child printed, and a wait for one of them (or for its giving up).
    const lines: string[] = []
    let heard = () => {}
    child.stdout.on('data', (d: Buffer) => {
      lines.push(
        ...String(d)
          .split('\n')
          .map((l) => l.trim())
      )
      heard()
    })
    const said = (line: string) =>
      new Promise<void>((resolve) => {
        heard = () => (lines.includes(line) || lines.includes('missed') ? resolve() : undefined)
        heard()
      })
    await said('watching')
    const deleted = said('deleted').then(() => (lines.includes('deleted') ? 'deleted' : 'missed'))
    const cache = openCache({ home: h, graceMs: 1000, graceAlways: true })
    try {
      const plan = cache.removePlan({ references: ['localhost/solo:1'], force: false })
      const result = cache.remove({ references: ['localhost/solo:1'], force: false, fingerprint: plan.fingerprint })
      expect(await deleted).toBe('deleted')
      expect(result.filesRemoved).toBe(0)
      expect(result.differences.join('\n')).toMatch(/-wal or -shm was deleted meanwhile; put back/)
    } finally {
      cache.close()
      child.kill()
    }
    expect(cachePaths(h)).toEqual(files)
    expect(checkImages(h).broken).toEqual([])
  })
})
