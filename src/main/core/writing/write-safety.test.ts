// The write path refuses or degrades safely whenever the cache is not what it expects: symlinks that
// lead out of the cache, files already gone, a schema from a newer msb, msb installing itself, a
// database locked by another writer, bad arguments. In each refusal nothing at all changes. Every case
// runs on a home msb 0.6.18 built and on one msb 0.7.2 built.
import {
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  existsSync,
  readdirSync,
  lstatSync
} from 'node:fs'
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { CacheError } from '../../../shared/errors'
import { parseArgs } from '../../../shared/argument-schemas'
import { main } from '../../cli/main'
import { msbTimestamp } from '../../demo/build-cache'
import { MSB_VERSIONS } from '../../demo/msb'
import { buildScenario, type BuiltScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'
import { openWriteConnection } from '../database/database'
import { FileRemoval } from './file-removal'
import { cacheFiles, copyHome, dumpRows, tempDir } from '../../../../test-support/core/cache-dump'
import { checkImages } from '../../../../test-support/core/image-integrity'
import { smallScenario } from '../../../../test-support/core/small-scenario'

describe.each(MSB_VERSIONS)('on a home msb %s built', (version) => {
  const dirs: string[] = []
  let base: string
  let built: BuiltScenario

  beforeAll(() => {
    const dir = tempDir('ice-safety-')
    dirs.push(dir)
    base = join(dir, 'home')
    built = buildScenario(base, smallScenario(), { msb: version })
  })

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  function copy(): string {
    const h = copyHome(base)
    dirs.push(dirname(h))
    return h
  }

  const stem = (digest: string) => digest.replace(':', '_')

  function errorOf(work: () => unknown): CacheError {
    try {
      work()
    } catch (error) {
      expect(error).toBeInstanceOf(CacheError)
      return error as CacheError
    }
    throw new Error('expected a CacheError, nothing was thrown')
  }

  /** Runs `work` and asserts it changed neither a row nor a file. */
  function expectNothingChanged(home: string, work: () => void): void {
    const rows = dumpRows(home)
    const files = cacheFiles(home)
    work()
    expect(dumpRows(home)).toEqual(rows)
    expect(cacheFiles(home)).toEqual(files)
  }

  describe('symlinks: a moved folder is followed as msb follows it, a planted link never', () => {
    it('a layer file that is a symlink: the target survives; an fsmeta/ moved elsewhere is followed as msb follows it', () => {
      const home = copy()
      const outside = tempDir('ice-outside-')
      dirs.push(outside)
      const solo = built.references.get('localhost/solo:1')!
      // layers/<solo's layer>.erofs → a file outside the cache.
      const target = join(outside, 'precious.bin')
      writeFileSync(target, 'do not delete me')
      const layerPath = join(home, 'cache', 'layers', `${stem(solo.layers[0].diffId)}.erofs`)
      unlinkSync(layerPath)
      symlinkSync(target, layerPath)
      // cache/fsmeta → a directory elsewhere holding what was in it (a folder moved to another disk).
      const realFsmeta = join(outside, 'fsmeta')
      renameSync(join(home, 'cache', 'fsmeta'), realFsmeta)
      symlinkSync(realFsmeta, join(home, 'cache', 'fsmeta'))
      const fsmetaBefore = readdirSync(realFsmeta).sort()
      const soloFsmeta = `${stem(solo.manifestDigest)}.erofs`
      expect(fsmetaBefore).toContain(soloFsmeta)

      const cache = openCache({ home, graceMs: 0 })
      const plan = cache.removePlan({ references: ['localhost/solo:1'], force: false })
      expect(plan.files.find((f) => f.kind === 'layer')).toMatchObject({ bytes: 0 })
      expect(plan.files.find((f) => f.kind === 'fsmeta')?.bytes).toBeGreaterThan(0)
      const result = cache.remove({ references: ['localhost/solo:1'], force: false, fingerprint: plan.fingerprint })
      cache.close()
      expect(result.removed).toEqual(['localhost/solo:1'])
      expect(result.differences).toEqual([])
      expect(readFileSync(target, 'utf8')).toBe('do not delete me')
      // Only solo's fsmeta left the folder the symlink leads to; the symlink itself stays. The lease folder
      // is made where msb makes it: in the real folder (realpath of the entry's parent).
      expect(
        readdirSync(realFsmeta)
          .filter((f) => f !== '.msb-leases')
          .sort()
      ).toEqual(fsmetaBefore.filter((f) => f !== soloFsmeta && f !== `${soloFsmeta}.lock`))
      expect(lstatSync(join(home, 'cache', 'fsmeta')).isSymbolicLink()).toBe(true)
      // The link itself (a cache entry) is gone; what it pointed at is not.
      expect(existsSync(layerPath)).toBe(false)
    })
  })

  describe('files already gone', () => {
    it('a missing file is skipped and counted, without an error', () => {
      const home = copy()
      const solo = built.references.get('localhost/solo:1')!
      const cache = openCache({ home, graceMs: 0 })
      const plan = cache.removePlan({ references: ['localhost/solo:1'], force: false })
      // Gone between the preview and the confirmation (msb or the user removed it).
      unlinkSync(join(home, 'cache', 'vmdk', `${stem(solo.manifestDigest)}.vmdk`))
      const result = cache.remove({ references: ['localhost/solo:1'], force: false, fingerprint: plan.fingerprint })
      cache.close()
      expect(result.removed).toEqual(['localhost/solo:1'])
      expect(result.manifestsRemoved).toBe(1)
      expect(result.filesRemoved).toBe(plan.files.length - 1)
      const vmdk = plan.files.find((f) => f.kind === 'vmdk')!
      expect(result.bytesReclaimed).toBe(plan.totalBytes - vmdk.bytes)
    })

    it('a journalled file that vanished before it could be moved aside is a counted skip', () => {
      const home = copy()
      const cacheDir = join(home, 'cache')
      const solo = built.references.get('localhost/solo:1')!
      const path = `fsmeta/${stem(solo.manifestDigest)}.erofs`
      const db = new Database(join(home, 'db', 'msb.db'))
      db.prepare('DELETE FROM manifest WHERE digest = ?').run(solo.manifestDigest)
      const removal = FileRemoval.begin(cacheDir, [{ kind: 'fsmeta', path, locks: [] }], {
        own: { home, dbPath: join(home, 'db', 'msb.db') },
        others: []
      })
      unlinkSync(join(cacheDir, path))
      const outcomes = removal.finish([{ kind: 'fsmeta', path, locks: [] }], db, { ms: 0, needed: () => false })
      db.close()
      expect(outcomes).toEqual([{ path, kind: 'fsmeta', bytes: 0, removed: false, skipped: 'already gone' }])
    })
  })

  describe('refusals change nothing', () => {
    it('a schema from a newer msb: SchemaUnsupported', () => {
      const home = copy()
      const db = new Database(join(home, 'db', 'msb.db'))
      db.prepare('INSERT INTO seaql_migrations (version, applied_at) VALUES (?, ?)').run(
        'm20270101_000001_from_the_future',
        1_800_000_000
      )
      db.close()
      expectNothingChanged(home, () => {
        const cache = openCache({ home, graceMs: 0 })
        expect(cache.status().readOnly).toBe(true)
        expect(errorOf(() => cache.remove({ references: ['localhost/solo:1'], force: false })).code).toBe(
          'SchemaUnsupported'
        )
        expect(errorOf(() => cache.prune({ scope: { kind: 'unused' } })).code).toBe('SchemaUnsupported')
        expect(errorOf(() => cache.prune({ scope: { kind: 'dangling' } })).code).toBe('SchemaUnsupported')
        cache.close()
      })
    })

    it('the schema changes under an open cache: still refused', () => {
      const home = copy()
      const cache = openCache({ home, graceMs: 0 })
      expect(cache.status().readOnly).toBe(false)
      const db = new Database(join(home, 'db', 'msb.db'))
      db.prepare('INSERT INTO seaql_migrations (version, applied_at) VALUES (?, ?)').run(
        'm20270101_000001_from_the_future',
        1_800_000_000
      )
      db.close()
      expectNothingChanged(home, () => {
        expect(errorOf(() => cache.remove({ references: ['localhost/solo:1'], force: false })).code).toBe(
          'SchemaUnsupported'
        )
      })
      cache.close()
    })

    it('msb install_exclusive lease held: refused with a clear error', () => {
      const home = copy()
      const db = new Database(join(home, 'db', 'msb.db'))
      const until = msbTimestamp(new Date(Date.now() + 10 * 60_000))
      db.prepare(
        `INSERT INTO maintenance_lease (name, holder_pid, lease_expires_at, last_completed_at) VALUES ('install_exclusive', 4242, ?, NULL)
         ON CONFLICT(name) DO UPDATE SET holder_pid = 4242, lease_expires_at = excluded.lease_expires_at, last_completed_at = NULL`
      ).run(until)
      db.close()
      expectNothingChanged(home, () => {
        // A short wait for the lease to pass: the refusal is what is tested here, not the wait.
        const cache = openCache({ home, graceMs: 0, leaseWaitMs: 50 })
        expect(cache.status()).toMatchObject({ readOnly: true })
        for (const work of [
          () => cache.remove({ references: ['localhost/solo:1'], force: false }),
          () => cache.prune({ scope: { kind: 'unused' } })
        ]) {
          const e = errorOf(work)
          expect(e.code).toBe('Busy')
          expect(e.message).toContain(`microsandbox install operation in progress until ${until}`)
          expect(e.message).toContain('nothing was changed')
        }
        cache.close()
      })
      // An expired lease does not block.
      const db2 = new Database(join(home, 'db', 'msb.db'))
      db2
        .prepare(`UPDATE maintenance_lease SET lease_expires_at = ? WHERE name = 'install_exclusive'`)
        .run(msbTimestamp(new Date(Date.now() - 60_000)))
      db2.close()
      const cache = openCache({ home, graceMs: 0 })
      expect(cache.remove({ references: ['localhost/solo:1'], force: false }).removed).toEqual(['localhost/solo:1'])
      cache.close()
    })

    it('the window shows read-only only for a lease held longer than a moment', () => {
      const home = copy()
      const setLease = (expires: Date) => {
        const db = new Database(join(home, 'db', 'msb.db'))
        db.prepare(
          `INSERT INTO maintenance_lease (name, holder_pid, lease_expires_at, last_completed_at) VALUES ('install_exclusive', 4242, ?, NULL)
           ON CONFLICT(name) DO UPDATE SET holder_pid = 4242, lease_expires_at = excluded.lease_expires_at, last_completed_at = NULL`
        ).run(msbTimestamp(expires))
        db.close()
      }
      const cache = openCache({ home, graceMs: 0 })
      // Just taken (a 30-minute lease that starts now): every msb command does this while opening the database.
      setLease(new Date(Date.now() + 30 * 60_000))
      expect(cache.status()).toMatchObject({ readOnly: false, readOnlyReason: null })
      // Taken 20 minutes ago and still held: msb is installing or upgrading itself.
      setLease(new Date(Date.now() + 10 * 60_000))
      expect(cache.status().readOnly).toBe(true)
      expect(cache.status().readOnlyReason).toMatch(/installing or upgrading/)
      cache.close()
    })

    it('the lease msb takes for a moment at the start of every command: the write waits for it instead of refusing', async () => {
      const home = copy()
      const dbPath = join(home, 'db', 'msb.db')
      const db = new Database(dbPath)
      // What connect_and_migrate writes: a 30-minute lease, cleared as soon as the database is open.
      db.prepare(
        `INSERT INTO maintenance_lease (name, holder_pid, lease_expires_at, last_completed_at) VALUES ('install_exclusive', 4242, ?, NULL)
         ON CONFLICT(name) DO UPDATE SET holder_pid = 4242, lease_expires_at = excluded.lease_expires_at, last_completed_at = NULL`
      ).run(msbTimestamp(new Date(Date.now() + 30 * 60_000)))
      db.close()
      const clearer = spawn(
        process.execPath,
        [
          '-e',
          `setTimeout(() => { const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000');
           const now = new Date().toISOString().replace('T', ' ').replace('Z', '000000');
           db.prepare("UPDATE maintenance_lease SET holder_pid = NULL, lease_expires_at = ?, last_completed_at = ? WHERE name = 'install_exclusive'").run(now, now);
           db.close() }, 400)`,
          dbPath
        ],
        { cwd: fileURLToPath(new URL('../../../..', import.meta.url)), stdio: 'inherit' }
      )
      const exited = new Promise((resolve) => clearer.on('exit', resolve))
      const cache = openCache({ home, graceMs: 0 })
      const started = Date.now()
      expect(cache.remove({ references: ['localhost/solo:1'], force: false }).removed).toEqual(['localhost/solo:1'])
      expect(Date.now() - started).toBeGreaterThanOrEqual(300)
      cache.close()
      expect(await exited).toBe(0)
    })

    it('a database locked by another writer past the busy timeout: Busy; works once released', () => {
      const home = copy()
      const holder = new Database(join(home, 'db', 'msb.db'))
      holder.exec('BEGIN IMMEDIATE')
      try {
        expectNothingChanged(home, () => {
          const cache = openCache({ home, graceMs: 0, busyTimeoutMs: 200 })
          const started = Date.now()
          const e = errorOf(() => cache.remove({ references: ['localhost/solo:1'], force: false }))
          expect(e.code).toBe('Busy')
          expect(e.message).toContain('nothing was changed')
          expect(Date.now() - started).toBeLessThan(5000)
          expect(errorOf(() => cache.prune({ scope: { kind: 'unused' } })).code).toBe('Busy')
          cache.close()
        })
      } finally {
        holder.exec('ROLLBACK')
        holder.close()
      }
      const cache = openCache({ home, graceMs: 0, busyTimeoutMs: 200 })
      expect(cache.remove({ references: ['localhost/solo:1'], force: false }).removed).toEqual(['localhost/solo:1'])
      cache.close()
      // Nothing of the removal is left, not even an empty trash folder.
      expect(existsSync(join(home, 'cache', 'tmp', 'explorer-trash'))).toBe(false)
    })

    it('an empty reference list: InvalidArgument at the edge (schema and CLI)', async () => {
      expect(errorOf(() => parseArgs('remove', { references: [], force: false })).code).toBe('InvalidArgument')
      expect(errorOf(() => parseArgs('removePlan', { references: [], force: true })).code).toBe('InvalidArgument')
      expect(errorOf(() => parseArgs('prune', { scope: { kind: 'images', references: [] } })).code).toBe(
        'InvalidArgument'
      )
      const home = copy()
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
      try {
        await expectNothingChangedAsync(home, async () => expect(await main(['rm', '--home', home])).toBe(2))
      } finally {
        stderr.mockRestore()
      }
    })

    it('an unknown reference among several: ImageNotFound and none removed', () => {
      const home = copy()
      expectNothingChanged(home, () => {
        const cache = openCache({ home, graceMs: 0 })
        const references = ['localhost/solo:1', 'localhost/nope:1', 'localhost/api:1']
        const e = errorOf(() => cache.remove({ references, force: false }))
        expect(e.code).toBe('ImageNotFound')
        expect(e.message).toBe('image not found: localhost/nope:1')
        expect(errorOf(() => cache.removePlan({ references, force: false })).code).toBe('ImageNotFound')
        expect(errorOf(() => cache.prune({ scope: { kind: 'images', references } })).code).toBe('ImageNotFound')
        cache.close()
      })
    })
  })

  async function expectNothingChangedAsync(home: string, work: () => Promise<void>): Promise<void> {
    const rows = dumpRows(home)
    const files = cacheFiles(home)
    await work()
    expect(dumpRows(home)).toEqual(rows)
    expect(cacheFiles(home)).toEqual(files)
  }

  describe('every write is one BEGIN IMMEDIATE transaction with foreign keys on', () => {
    const restore: (() => void)[] = []
    afterEach(() => {
      for (const r of restore.splice(0)) r()
    })

    it('traces every statement that changes a row', () => {
      // Wrap better-sqlite3 itself: every exec (BEGIN …) and every statement run, on every connection.
      const begins = new WeakMap<Database.Database, string>()
      const writes: { sql: string; inTransaction: boolean; foreignKeys: unknown; begin: string | undefined }[] = []
      const dbProto = Database.prototype as unknown as { exec: (sql: string) => unknown }
      const exec = dbProto.exec
      dbProto.exec = function (this: Database.Database, sql: string) {
        if (/^\s*BEGIN/i.test(sql)) begins.set(this, sql.trim().toUpperCase())
        return exec.call(this, sql)
      }
      restore.push(() => (dbProto.exec = exec))
      const probe = new Database(':memory:')
      const stmtProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown }
      probe.close()
      const run = stmtProto.run
      stmtProto.run = function (this: Database.Statement, ...args: unknown[]) {
        if (/^\s*(DELETE|INSERT|UPDATE|REPLACE)/i.test(this.source)) {
          const db = this.database
          writes.push({
            sql: this.source,
            inTransaction: db.inTransaction,
            foreignKeys: db.pragma('foreign_keys', { simple: true }),
            begin: begins.get(db)
          })
        }
        return run.apply(this, args)
      }
      restore.push(() => (stmtProto.run = run))

      const home = copy()
      const cache = openCache({ home, graceMs: 0 })
      cache.remove({ references: ['localhost/solo:1', 'localhost/web:1'], force: false })
      cache.remove({ references: ['localhost/job:1'], force: true })
      cache.prune({ scope: { kind: 'dangling' } })
      cache.prune({ scope: { kind: 'images', references: ['localhost/api:1'] } })
      cache.prune({ scope: { kind: 'unused' } })
      cache.close()

      expect(writes.length).toBeGreaterThan(10)
      for (const w of writes)
        expect(w, w.sql).toMatchObject({ inTransaction: true, foreignKeys: 1, begin: 'BEGIN IMMEDIATE' })
      expect(writes.some((w) => /DELETE FROM manifest/.test(w.sql))).toBe(true)
      expect(writes.some((w) => /DELETE FROM layer/.test(w.sql))).toBe(true)
      // And the cascade ran as msb's foreign keys say: no config or manifest_layer row is left without its manifest.
      const rows = dumpRows(home)
      const manifests = new Set(rows.manifest.map((m) => m.id))
      expect(rows.config.every((c) => manifests.has(c.manifest_id))).toBe(true)
      expect(rows.manifest_layer.every((l) => manifests.has(l.manifest_id))).toBe(true)
      expect(checkImages(home).broken).toEqual([])
    })

    it('the write connection enforces the foreign keys (a pinned manifest cannot be deleted under it)', () => {
      const home = copy()
      const w = openWriteConnection(join(home, 'db', 'msb.db'))
      const job = built.references.get('localhost/job:1')!
      expect(() => w.prepare('DELETE FROM manifest WHERE digest = ?').run(job.manifestDigest)).toThrow(
        /FOREIGN KEY constraint failed/
      )
      w.close()
    })
  })
})
