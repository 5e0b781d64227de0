// The schema gate on migration sets the msb binaries do not all write (a msb killed between two migrations,
// an older 0.6, a hand-edited set). The sets real msb 0.6.18 and 0.7.2 write are checked in msb-upgrade.test.ts.
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { describeSchema } from '../../../shared/msb-versions'
import { KNOWN_MIGRATIONS, readSchemaState } from './schema'

function withMigrations(versions: readonly string[]) {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE seaql_migrations (version TEXT PRIMARY KEY, applied_at BIGINT)')
  for (const t of ['image_ref', 'manifest', 'config', 'layer', 'manifest_layer'])
    db.exec(`CREATE TABLE ${t} (id INTEGER PRIMARY KEY)`)
  const insert = db.prepare('INSERT INTO seaql_migrations VALUES (?, 0)')
  for (const v of versions) insert.run(v)
  const state = readSchemaState(db)
  db.close()
  return state
}

const V06 = KNOWN_MIGRATIONS.slice(0, 25)
const [SPLIT, GROUPS, SECRET, CLOCK] = KNOWN_MIGRATIONS.slice(25)
const V07 = [...V06, SPLIT, GROUPS]

describe('readSchemaState', () => {
  it('an older 0.6 (a prefix of 0.6.18) and 0.6.18 itself: the 0.6 line, writable', () => {
    expect(withMigrations(V06.slice(0, 23))).toEqual({ kind: 'known', line: '0.6', migrations: 23 })
    expect(withMigrations(V06)).toEqual({ kind: 'known', line: '0.6', migrations: 25 })
  })

  it('a msb 0.7 stopped between its two migrations: the 0.7 line, still a known prefix', () => {
    expect(withMigrations([...V06, SPLIT])).toEqual({ kind: 'known', line: '0.7', migrations: 26 })
  })

  it('the second 0.7 migration without the first: not a prefix, read-only', () => {
    const state = withMigrations([...V06, GROUPS])
    expect(state).toMatchObject({ kind: 'unknown', migrations: 26 })
    expect(state.kind === 'unknown' && state.reason).toContain('msb 0.6.18 and 0.7.2')
  })

  it('msb 0.7.3 (secret config) and 0.7.7 (guest clock): the 0.7.3 line, writable, named "msb 0.7.3 or later"', () => {
    expect(SECRET).toBe('m20260922_000001_migrate_secret_config')
    expect(CLOCK).toBe('m20261001_000001_guest_clock_config')
    expect(withMigrations([...V07, SECRET])).toEqual({ kind: 'known', line: '0.7.3', migrations: 28 })
    const state = withMigrations([...V07, SECRET, CLOCK])
    expect(state).toEqual({ kind: 'known', line: '0.7.3', migrations: 29 })
    expect(describeSchema(state)).toBe('msb 0.7.3 or later schema (29 migrations)')
    // 0.7.7's marker without 0.7.3's migration: not a prefix.
    expect(withMigrations([...V07, CLOCK])).toMatchObject({ kind: 'unknown' })
  })

  it('a migration of a newer msb: the newer line, read-only, naming the tested versions', () => {
    const state = withMigrations([...V07, 'm20261015_000001_guest_clock_config'])
    expect(state).toMatchObject({ kind: 'unknown', line: 'newer', migrations: 28 })
    expect(state.kind === 'unknown' && state.reason).toContain('unknown migration m20261015_000001_guest_clock_config')
    expect(describeSchema(state)).toBe('schema of a newer msb (28 migrations; read-only)')
  })

  it('describes each line in one phrase', () => {
    expect(describeSchema({ kind: 'known', line: '0.7', migrations: 27 })).toBe('msb 0.7 schema (27 migrations)')
    expect(describeSchema({ kind: 'known', line: '0.6', migrations: 25 })).toBe('msb 0.6 schema (25 migrations)')
    expect(describeSchema({ kind: 'missing' })).toBe('no msb database yet')
  })
})
