// The upgrade people make: a home built by msb 0.6.18, then migrated by msb 0.7.2 (which it does on its
// first command, even `msb image ls`), then listed, removed from and pruned by the explorer and by msb 0.7.2
// on identical copies. Also the schema gate's view of both lines: which migrations each release writes,
// which line a home is at, and what stays read-only.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { msbPruneJson, prettyJson } from '../../cli/msb-json'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { runMsb } from '../../demo/msb'
import { buildScenario, standardScenario, type BuiltScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'
import { readSchemaState } from '../database/schema'
import { migrationsOf } from '../../../shared/msb-versions'
import { cachePaths, copyHome, dumpRows, tempDir } from '../../../../test-support/core/cache-dump'
import { checkImages } from '../../../../test-support/core/image-integrity'

const dirs: string[] = []
let before: string
let migrated: string
let built: BuiltScenario

function copy(of: string): string {
  const h = copyHome(of)
  dirs.push(dirname(h))
  return h
}

function db(home: string): Database.Database {
  return new Database(join(home, 'db', 'msb.db'), { readonly: true, fileMustExist: true })
}

function migrations(home: string): string[] {
  const d = db(home)
  try {
    return (d.prepare('SELECT version FROM seaql_migrations ORDER BY rowid').all() as { version: string }[]).map(
      (r) => r.version
    )
  } finally {
    d.close()
  }
}

function schemaOf(home: string) {
  const d = db(home)
  try {
    return readSchemaState(d)
  } finally {
    d.close()
  }
}

beforeAll(() => {
  const dir = tempDir('ice-upgrade-')
  dirs.push(dir)
  before = join(dir, 'home')
  built = buildScenario(before, standardScenario(), { msb: '0.6.18' })
  migrated = copy(before)
  runMsb(migrated, ['image', 'ls'], { msb: '0.7.2' })
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('the schema lines', () => {
  it('msb 0.6.18 writes the 0.6 migrations, msb 0.7.2 all the known ones, in the known order', () => {
    const fresh06 = join(tempDir('ice-schema-06-'), 'home')
    const fresh07 = join(tempDir('ice-schema-07-'), 'home')
    dirs.push(dirname(fresh06), dirname(fresh07))
    runMsb(fresh06, ['image', 'ls'], { msb: '0.6.18' })
    runMsb(fresh07, ['image', 'ls'], { msb: '0.7.2' })
    expect(migrations(fresh06)).toEqual(migrationsOf('0.6.18'))
    expect(migrations(fresh07)).toEqual(migrationsOf('0.7.2'))
    expect(schemaOf(fresh06)).toEqual({ kind: 'known', line: '0.6', migrations: 25 })
    expect(schemaOf(fresh07)).toEqual({ kind: 'known', line: '0.7', migrations: 27 })
  })

  it('a home migrated by a msb newer than 0.7.2 is read-only and says which msb versions were tested', async () => {
    const home = copy(migrated)
    const d = new Database(join(home, 'db', 'msb.db'))
    d.prepare('INSERT INTO seaql_migrations (version, applied_at) VALUES (?, ?)').run(
      'm20261001_000001_migrate_secret_config',
      1_800_000_000
    )
    d.close()
    const cache = openCache({ home, graceMs: 0 })
    try {
      const status = cache.status()
      expect(status.schema).toMatchObject({ kind: 'unknown', line: 'newer', migrations: 28 })
      expect(status.readOnly).toBe(true)
      expect(status.readOnlyReason).toContain('m20261001_000001_migrate_secret_config')
      expect(status.readOnlyReason).toContain('msb 0.6.18 and 0.7.2')
      expect(() => cache.prune({ scope: { kind: 'unused' } })).toThrow(
        expect.objectContaining({ code: 'SchemaUnsupported' })
      )
    } finally {
      cache.close()
    }
    const version = await runCli(['--version', '--home', home])
    expect(version.stdout).toContain('tested with msb 0.6.18, 0.7.2')
    expect(version.stdout).toContain('schema of a newer msb (28 migrations; read-only)')
  })
})

describe('a home built by msb 0.6.18, migrated by msb 0.7.2', () => {
  it('is at the 0.7 line and writable; image rows untouched; snapshots keyed anew with their digest as id', async () => {
    expect(schemaOf(before)).toMatchObject({ kind: 'known', line: '0.6' })
    expect(schemaOf(migrated)).toEqual({ kind: 'known', line: '0.7', migrations: 27 })
    expect(dumpRows(migrated)).toEqual(dumpRows(before))
    expect(cachePaths(migrated)).toEqual(cachePaths(before))
    const d = db(migrated)
    const snapshots = d
      .prepare(
        'SELECT digest, snapshot_id, descriptor_digest, name, group_name, group_path FROM snapshot_index ORDER BY name'
      )
      .all()
    d.close()
    expect(snapshots).toEqual(
      built.snapshotPins
        .map((p) => ({
          digest: p.digest,
          snapshot_id: p.digest,
          descriptor_digest: p.digest,
          name: p.name,
          group_name: null,
          group_path: null
        }))
        .sort((a, b) => a.name.localeCompare(b.name))
    )
    // msb 0.6.18 cannot go back: the explorer is now the 0.6 user's only other tool on this home.
    const old = runMsb(copy(migrated), ['image', 'ls'], { msb: '0.6.18', allowFail: true })
    expect(old.status).not.toBe(0)
    expect(old.stderr).toContain('database schema is newer than this msb binary')
    const df = await runCli(['df', '--home', migrated])
    expect(df.stdout).toContain('msb 0.7 schema (27 migrations)')
    const version = await runCli(['--version', '--home', migrated])
    expect(version.stdout).toContain('msb 0.7 schema (27 migrations)')
  })

  it('ls and inspect print what msb 0.7.2 prints; snapshots without a group are named by their name', async () => {
    const ours = await runCli(['ls', '--json', '--home', migrated])
    expect(ours.stdout).toBe(runMsb(migrated, ['image', 'ls', '--format', 'json'], { msb: '0.7.2' }).stdout)
    for (const reference of ['alpine', 'docker.io/library/postgres:16', 'registry.example.com:8443/intl/labels:v1']) {
      const inspect = await runCli(['inspect', reference, '--json', '--home', migrated])
      expect(inspect.stdout, reference).toBe(
        runMsb(migrated, ['image', 'inspect', reference, '--format', 'json'], { msb: '0.7.2' }).stdout
      )
    }
    const cache = openCache({ home: migrated })
    try {
      const pg = cache.usage().images.find((u) => u.reference === 'docker.io/library/postgres:16')!
      expect(pg.snapshots).toEqual(['pg-before-migration'])
    } finally {
      cache.close()
    }
  })

  it('prune: the explorer and msb 0.7.2 report the same, and leave the same rows and files', () => {
    const ours = copy(migrated)
    const theirs = copy(migrated)
    const cache = openCache({ home: ours, graceMs: 0 })
    const plan = cache.prunePlan({ scope: { kind: 'unused' } })
    const result = cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
    cache.close()
    const msb = runMsb(theirs, ['image', 'prune', '-y', '--format', 'json'], { msb: '0.7.2' })
    expect(prettyJson(msbPruneJson(result.report))).toBe(msb.stdout.trimEnd())
    expect(result.differences).toEqual([])
    expect(dumpRows(ours)).toEqual(dumpRows(theirs))
    expect(cachePaths(ours)).toEqual(cachePaths(theirs))
    // The images the 0.6 snapshots pin survive both.
    const left = dumpRows(ours).image_ref.map((r) => r.reference)
    for (const pin of built.snapshotPins) expect(left).toContain(pin.reference)
    expect(checkImages(ours).broken).toEqual([])
  })

  it('remove: the explorer and msb 0.7.2 remove the same rows and files', () => {
    const references = ['localhost:5000/team/app:1.1', 'ghcr.io/acme/tool:1', 'docker.io/library/nginx:1.27']
    const ours = copy(migrated)
    const theirs = copy(migrated)
    const cache = openCache({ home: ours, graceMs: 0 })
    const result = cache.remove({ references, force: false })
    cache.close()
    runMsb(theirs, ['image', 'rm', ...references], { msb: '0.7.2' })
    expect(result.removed.sort()).toEqual([...references].sort())
    expect(dumpRows(ours)).toEqual(dumpRows(theirs))
    expect(cachePaths(ours)).toEqual(cachePaths(theirs))
    expect(checkImages(ours).broken).toEqual([])
  })
})
