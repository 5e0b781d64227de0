// What the core and the CLI do with input that is not a healthy msb cache or a valid reference: every case ends in
// a clear error code (never a crash, never a guess), and nothing on disk changes. Healthy caches are built by the
// real msb 0.6.18; the damaged ones are made from them.
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseArgs } from '../../../shared/argument-schemas'
import { msbTimestamp } from '../../demo/build-cache'
import { fileList, fileSnapshot, logicalDump } from '../../../../test-support/fixtures/cache-snapshot'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { runMsb } from '../../demo/msb'
import { type BuiltScenario, buildScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { sdkView } from '../../../../test-support/fixtures/sdk-images'
import { type Cache, openCache } from '../cache'

let root: string
let healthy: string
let built: BuiltScenario

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-bad-input-'))
  healthy = join(root, 'healthy')
  built = buildScenario(healthy, standardScenario())
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

/** A fresh directory under the test root. */
function dir(name: string): string {
  const path = join(root, name)
  mkdirSync(path, { recursive: true })
  return path
}

/** A copy of the healthy home (db with its WAL, and the cache). */
function copyOfHealthy(name: string): string {
  const home = join(root, name)
  cpSync(healthy, home, { recursive: true })
  return home
}

function withoutDbDirMtime(snapshot: ReturnType<typeof fileSnapshot>): ReturnType<typeof fileSnapshot> {
  return { ...snapshot, db: { ...snapshot.db, mtimeMs: 0 } }
}

function codeOf(work: () => unknown): string {
  try {
    work()
  } catch (error) {
    return (error as { code?: string }).code ?? `not a CacheError: ${String(error)}`
  }
  return 'no error'
}

function withCache<T>(home: string, work: (cache: Cache) => T): T {
  const cache = openCache({ home })
  try {
    return work(cache)
  } finally {
    cache.close()
  }
}

describe('references', () => {
  it('an unknown reference is ImageNotFound, worded as msb words it', async () => {
    const reference = 'nope/never:pulled'
    const message = `image not found: ${reference}`
    withCache(healthy, (cache) => {
      for (const call of [
        () => cache.get({ reference }),
        () => cache.inspect({ reference }),
        () => cache.insight({ reference }),
        () => cache.removePlan({ references: [reference], force: false }),
        () => cache.prunePlan({ scope: { kind: 'images', references: [reference] } })
      ]) {
        expect(call).toThrow(expect.objectContaining({ code: 'ImageNotFound', message }))
      }
    })
    // The same words as msb's SDK and CLI.
    expect(sdkView(healthy, [reference]).get[reference]).toMatchObject({ error: { message } })
    const msb = runMsb(healthy, ['image', 'inspect', reference, '--format', 'json'], { allowFail: true })
    expect(msb.stderr).toContain(message)
    for (const args of [
      ['inspect', reference],
      ['inspect', reference, '--json']
    ]) {
      const r = await runCli([...args, '--home', healthy])
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe(`error: ${message}\n`)
    }
  })

  it('a normalised spelling of a stored reference is not found either (msb matches verbatim)', () => {
    withCache(healthy, (cache) => {
      expect(cache.get({ reference: 'busybox' }).reference).toBe('busybox')
      expect(codeOf(() => cache.get({ reference: 'docker.io/library/busybox:latest' }))).toBe('ImageNotFound')
      expect(codeOf(() => cache.get({ reference: 'BUSYBOX' }))).toBe('ImageNotFound')
      expect(codeOf(() => cache.get({ reference: ' busybox' }))).toBe('ImageNotFound')
    })
  })

  const malformed: [string, string, RegExp][] = [
    ['empty', '', /reference is empty/],
    ['a NUL', 'alpine\u0000:latest', /control characters/],
    ['a newline', 'alpine\n', /control characters/],
    ['an escape sequence', '\u001b[31malpine', /control characters/],
    ['DEL', 'alp\u007fine', /control characters/],
    ['5000 characters', `localhost:5000/${'a'.repeat(4985)}`, /too long/]
  ]

  it.each(malformed)('a reference with %s is InvalidArgument at the edge (parseArgs)', (_what, reference, why) => {
    for (const op of ['get', 'inspect', 'insight'] as const) {
      expect(() => parseArgs(op, { reference })).toThrow(
        expect.objectContaining({ code: 'InvalidArgument', message: expect.stringMatching(why) })
      )
    }
    expect(() => parseArgs('removePlan', { references: [reference], force: false })).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', message: expect.stringMatching(why) })
    )
    expect(() => parseArgs('prunePlan', { scope: { kind: 'images', references: ['alpine', reference] } })).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', message: expect.stringMatching(why) })
    )
  })

  it.each(malformed)('a reference with %s makes the CLI exit 2 with the reason', async (_what, reference, why) => {
    const before = fileSnapshot(healthy)
    for (const args of [
      ['inspect', reference],
      ['inspect', reference, '--json'],
      ['rm', reference],
      ['rm', '--dry-run', reference],
      ['prune', '--dry-run', '--image', reference]
    ]) {
      const r = await runCli([...args, '--home', healthy])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^error: invalid arguments for \w+: /)
      expect(r.stderr).toMatch(why)
    }
    expect(fileSnapshot(healthy)).toEqual(before)
  })

  it('missing or extra arguments are InvalidArgument too', async () => {
    expect(codeOf(() => parseArgs('inspect', {}))).toBe('InvalidArgument')
    expect(codeOf(() => parseArgs('inspect', { reference: 'a', extra: 1 }))).toBe('InvalidArgument')
    expect(codeOf(() => parseArgs('inspect', { reference: 42 }))).toBe('InvalidArgument')
    expect(codeOf(() => parseArgs('removePlan', { references: [], force: false }))).toBe('InvalidArgument')
    expect((await runCli(['inspect', '--home', healthy])).code).toBe(2)
    expect((await runCli(['inspect', 'a', 'b', '--home', healthy])).code).toBe(2)
    expect((await runCli(['ls', '--no-such-flag', '--home', healthy])).code).toBe(2)
    expect((await runCli(['frobnicate', '--home', healthy])).code).toBe(2)
  })
})

describe('a home that is not a microsandbox cache', () => {
  it('an empty directory is an empty cache: schema missing, no images, not an error, nothing created', async () => {
    const home = dir('empty')
    withCache(home, (cache) => {
      const status = cache.status()
      expect(status.schema).toEqual({ kind: 'missing' })
      expect(status.readOnly).toBe(true)
      expect([status.imageCount, status.manifestCount, status.layerCount]).toEqual([0, 0, 0])
      expect(cache.list()).toEqual([])
      const usage = cache.usage()
      expect([usage.images, usage.totalBytes, usage.reclaimableBytes]).toEqual([[], 0, 0])
      expect(cache.prunePlan({ scope: { kind: 'unused' } }).files).toEqual([])
      expect(codeOf(() => cache.inspect({ reference: 'alpine' }))).toBe('ImageNotFound')
    })
    const ls = await runCli(['ls', '--json', '--home', home])
    expect([ls.code, ls.stdout]).toEqual([0, '[]\n'])
    expect((await runCli(['ls', '--home', home])).stderr).toBe('No images found.\n')
    expect((await runCli(['df', '--home', home])).code).toBe(0)
    expect(readdirSync(home)).toEqual([])
    // msb prints the same for an empty cache (it creates its database on the way; we never do).
    expect(runMsb(dir('empty-for-msb'), ['image', 'ls', '--format', 'json']).stdout).toBe(ls.stdout)
  })

  it('a --home that does not exist is refused with the reason (a typo is not an empty cache); nothing is created', () => {
    const home = join(root, 'does', 'not', 'exist')
    withCache(home, (cache) => {
      expect(cache.status()).toMatchObject({
        schema: { kind: 'missing' },
        readOnly: true,
        readOnlyReason: `the home ${home} does not exist`
      })
      expect(() => cache.list()).toThrow(`the home ${home} does not exist`)
      expect(() => cache.usage()).toThrow(`the home ${home} does not exist`)
    })
    expect(readdirSync(root)).not.toContain('does')
  })

  it('db/msb.db that is some other SQLite database is SchemaUnsupported, and stays untouched', async () => {
    const home = dir('other-sqlite')
    mkdirSync(join(home, 'db'))
    const other = new Database(join(home, 'db', 'msb.db'))
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');`)
    other.close()
    const before = fileSnapshot(home)
    withCache(home, (cache) => {
      for (const call of [
        () => cache.status(),
        () => cache.list(),
        () => cache.inspect({ reference: 'alpine' }),
        () => cache.usage(),
        () => cache.prunePlan({ scope: { kind: 'unused' } }),
        () => cache.prune({ scope: { kind: 'unused' } })
      ]) {
        expect(call).toThrow(
          expect.objectContaining({
            code: 'SchemaUnsupported',
            message: expect.stringMatching(/not a microsandbox image database/)
          })
        )
      }
    })
    const r = await runCli(['ls', '--home', home])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/not a microsandbox image database: it has no seaql_migrations table/)
    expect(fileSnapshot(home)).toEqual(before)
  })

  it('an empty db/msb.db file is an empty or damaged database (Unsupported), never a newer schema', () => {
    const home = dir('empty-db-file')
    mkdirSync(join(home, 'db'))
    writeFileSync(join(home, 'db', 'msb.db'), '')
    const before = fileSnapshot(home)
    withCache(home, (cache) => {
      expect(codeOf(() => cache.list())).toBe('Unsupported')
      expect(() => cache.status()).toThrow(/is empty \(0 bytes\): an empty or damaged microsandbox database/)
    })
    expect(fileSnapshot(home)).toEqual(before)
  })
})

describe('a damaged database', () => {
  const damaged: [string, (home: string) => void][] = [
    ['random bytes', (home) => writeFileSync(join(home, 'db', 'msb.db'), randomBytes(64 * 1024))],
    [
      'the first half of a real one',
      (home) => {
        const real = readFileSync(checkpointedDb())
        writeFileSync(join(home, 'db', 'msb.db'), real.subarray(0, real.length / 2))
      }
    ],
    [
      'a real header over a garbage first page',
      (home) => {
        const real = readFileSync(checkpointedDb())
        // Byte 100 starts page 1's b-tree header; 0x00 is no b-tree page type.
        writeFileSync(
          join(home, 'db', 'msb.db'),
          Buffer.concat([real.subarray(0, 100), Buffer.alloc(1), randomBytes(real.length - 101)])
        )
      }
    ]
  ]

  /** The healthy database with its WAL folded in, as one self-contained file. */
  function checkpointedDb(): string {
    const copy = copyOfHealthy(`checkpointed-${Math.random().toString(36).slice(2)}`)
    const db = new Database(join(copy, 'db', 'msb.db'))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    return join(copy, 'db', 'msb.db')
  }

  it.each(damaged)('%s: every operation is Unsupported, and nothing on disk changes', async (name, make) => {
    const home = copyOfHealthy(`damaged-${name.replaceAll(' ', '-')}`)
    for (const f of readdirSync(join(home, 'db'))) if (f !== 'msb.db') rmSync(join(home, 'db', f))
    make(home)
    const before = fileSnapshot(home)
    const beforeNames = readdirSync(join(home, 'db')).sort()
    withCache(home, (cache) => {
      for (const call of [
        () => cache.status(),
        () => cache.list(),
        () => cache.get({ reference: 'alpine' }),
        () => cache.inspect({ reference: 'alpine' }),
        () => cache.usage(),
        () => cache.prunePlan({ scope: { kind: 'unused' } }),
        () => cache.prune({ scope: { kind: 'unused' } }),
        () => cache.remove({ references: ['alpine'], force: false })
      ]) {
        expect(call).toThrow(
          expect.objectContaining({
            code: 'Unsupported',
            message: expect.stringMatching(/is damaged or is not a SQLite database/)
          })
        )
      }
    })
    const r = await runCli(['ls', '--json', '--home', home])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^error: .*msb\.db is damaged or is not a SQLite database/)
    // Not even SQLite's -wal/-shm side files stay. SQLite finds the damage (the explorer never opens msb.db itself:
    // that would drop SQLite's locks, issue 26), and it may create them before it does; they are taken away again,
    // so only the db directory's mtime tells.
    expect(readdirSync(join(home, 'db')).sort()).toEqual(beforeNames)
    expect(withoutDbDirMtime(fileSnapshot(home))).toEqual(withoutDbDirMtime(before))
  })
})

describe('a database damaged past its schema page', () => {
  it('reads that reach the damage are Unsupported; the database file is not changed', () => {
    const home = copyOfHealthy('damaged-deep')
    const db = new Database(join(home, 'db', 'msb.db'))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const dbPath = join(home, 'db', 'msb.db')
    const real = readFileSync(dbPath)
    const pageSize = real.readUInt16BE(16)
    // Keep page 1 (the schema) and overwrite every other page.
    writeFileSync(dbPath, Buffer.concat([real.subarray(0, pageSize), randomBytes(real.length - pageSize)]))
    const bytes = readFileSync(dbPath)
    withCache(home, (cache) => {
      expect(codeOf(() => cache.list())).toMatch(/^(Unsupported|SchemaUnsupported)$/)
      expect(codeOf(() => cache.inspect({ reference: 'alpine' }))).toMatch(/^(Unsupported|SchemaUnsupported)$/)
      expect(codeOf(() => cache.prune({ scope: { kind: 'unused' } }))).toMatch(/^(Unsupported|SchemaUnsupported)$/)
    })
    // SQLite may have created its empty -wal/-shm side files here (it does so on open, before it meets the damage).
    expect(readFileSync(dbPath).equals(bytes)).toBe(true)
  })
})

describe('a database another program is writing', () => {
  it('a writer holding the lock (BEGIN IMMEDIATE + an uncommitted insert) does not stop reads (WAL)', async () => {
    const home = copyOfHealthy('locked')
    // msb 0.6.18 itself can't list under this lock: its start-up needs the write lock and fails after its busy
    // timeout (~40 s) with "database is locked". So msb's output is taken before the lock.
    const msbLs = runMsb(home, ['image', 'ls', '--format', 'json']).stdout
    // (Taken after msb ran: every msb start rewrites its `maintenance_lease` row, even for `image ls`.)
    const dumpBefore = logicalDump(join(home, 'db', 'msb.db'))
    const writer = new Database(join(home, 'db', 'msb.db'))
    try {
      const manifestId = writer.prepare(`SELECT manifest_id FROM image_ref WHERE reference = 'alpine'`).pluck().get()
      writer.exec('BEGIN IMMEDIATE')
      const now = msbTimestamp()
      writer
        .prepare('INSERT INTO image_ref (reference, manifest_id, created_at, updated_at) VALUES (?, ?, ?, ?)')
        .run('uncommitted/ref:1', manifestId, now, now)
      withCache(home, (cache) => {
        const refs = cache.list().map((h) => h.reference)
        expect(refs).toHaveLength(built.references.size)
        expect(refs).not.toContain('uncommitted/ref:1')
        expect(cache.inspect({ reference: 'alpine' }).layers).toHaveLength(1)
        expect(cache.status().imageCount).toBe(built.references.size)
        expect(cache.usage().images).toHaveLength(built.references.size)
        // A write waits for the lock, gives up with Busy, and changes nothing.
        const busy = openCache({ home, busyTimeoutMs: 50 })
        try {
          expect(codeOf(() => busy.prune({ scope: { kind: 'unused' } }))).toBe('Busy')
        } finally {
          busy.close()
        }
      })
      const ls = await runCli(['ls', '--json', '--home', home])
      expect(ls.code).toBe(0)
      expect(ls.stdout).toBe(msbLs)
    } finally {
      if (writer.inTransaction) writer.exec('ROLLBACK')
      writer.close()
    }
    expect(logicalDump(join(home, 'db', 'msb.db'))).toBe(dumpBefore)
  })

  // Not tested: a rollback-journal EXCLUSIVE lock (which would block readers). msb always runs its database
  // in WAL mode, so that lock does not happen with a real msb cache.
})

describe('a database migrated by a newer msb', () => {
  const FUTURE = 'm20991231_000001_from_the_future'

  function withFutureMigration(home: string): void {
    const db = new Database(join(home, 'db', 'msb.db'))
    db.prepare('INSERT INTO seaql_migrations (version, applied_at) VALUES (?, ?)').run(
      FUTURE,
      Math.floor(Date.now() / 1000)
    )
    db.close()
  }

  function expectUnchanged(home: string, work: () => void): void {
    const dump = logicalDump(join(home, 'db', 'msb.db'))
    const files = fileList(home)
    work()
    expect(logicalDump(join(home, 'db', 'msb.db'))).toBe(dump)
    expect(fileList(home)).toEqual(files)
  }

  it('is shown read-only: status says why, every read works', () => {
    const home = copyOfHealthy('newer-schema-reads')
    withFutureMigration(home)
    withCache(home, (cache) => {
      const status = cache.status()
      expect(status.schema).toMatchObject({ kind: 'unknown', migrations: 26 })
      expect(status.readOnly).toBe(true)
      expect(status.readOnlyReason).toContain(FUTURE)
      expect(cache.list()).toHaveLength(built.references.size)
      expect(cache.inspect({ reference: 'alpine' }).layers).toHaveLength(1)
      expect(cache.insight({ reference: 'alpine' }).usage.aliases).toEqual(['docker.io/library/alpine:latest'])
      expect(cache.usage().images).toHaveLength(built.references.size)
      expect(cache.prunePlan({ scope: { kind: 'unused' } }).references.length).toBeGreaterThan(0)
    })
  })

  it('prune and remove throw SchemaUnsupported and change nothing', async () => {
    const home = copyOfHealthy('newer-schema-writes')
    withFutureMigration(home)
    expectUnchanged(home, () => {
      withCache(home, (cache) => {
        const plan = cache.prunePlan({ scope: { kind: 'unused' } })
        for (const call of [
          () => cache.prune({ scope: { kind: 'unused' } }),
          () => cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint }),
          () => cache.prune({ scope: { kind: 'dangling' } }),
          () => cache.remove({ references: ['busybox'], force: false }),
          () => cache.remove({ references: ['busybox'], force: true })
        ]) {
          expect(call).toThrow(
            expect.objectContaining({ code: 'SchemaUnsupported', message: expect.stringContaining(FUTURE) })
          )
        }
      })
    })
    const r = await runCli(['prune', '--yes', '--home', home])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/refusing to change the cache/)
  })

  it('a newer msb migrating while the explorer is open: the write is still refused', () => {
    const home = copyOfHealthy('newer-schema-while-open')
    withCache(home, (cache) => {
      expect(cache.status().schema.kind).toBe('known')
      withFutureMigration(home)
      expectUnchanged(home, () => {
        expect(codeOf(() => cache.remove({ references: ['busybox'], force: false }))).toBe('SchemaUnsupported')
        expect(codeOf(() => cache.prune({ scope: { kind: 'unused' } }))).toBe('SchemaUnsupported')
      })
      expect(cache.status()).toMatchObject({ schema: { kind: 'unknown' }, readOnly: true })
    })
  })
})
