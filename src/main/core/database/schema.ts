// The schema gate. msb treats `seaql_migrations` as a set that must equal a prefix of the migrations
// its binary knows (schema_metadata::canonical_applied_prefix). The explorer reads any schema that has
// the image tables, but writes only to one it knows exactly, so a newer msb's data is never damaged.
//
// Three msb lines are known (src/shared/msb-versions.ts). 0.7 added two migrations that rebuild
// `snapshot_index` (key `artifact_path`, new `snapshot_id`, `descriptor_digest`, `group_name`, `group_path`)
// and left every table remove and prune write (image_ref, manifest, config, layer, manifest_layer) and read
// (sandbox, sandbox_rootfs, snapshot_index.image_manifest_digest) as it was, so one write path serves every
// line. 0.7.3's and 0.7.7's migrations touch no image table either (crates/migration/lib/lib.rs @3129f858);
// what changes there is how msb cleans (leases, kept lock files, untagging): rulesOfLine.
import type Database from 'better-sqlite3'
import type { SchemaLine, SchemaState } from '../../../shared/contract'
import {
  KNOWN_MIGRATIONS,
  type LineRules,
  migrationsOf,
  rulesOfLine,
  TESTED_MSB_VERSIONS
} from '../../../shared/msb-versions'

export { KNOWN_MIGRATIONS } from '../../../shared/msb-versions'

let knownOverride: readonly string[] | null = null

/**
 * Tests only: the migrations the explorer knows, so a real msb's home can stand for a schema the
 * explorer has not seen (the delegation tests); null restores the real list.
 */
export function setKnownMigrationsForTesting(list: readonly string[] | null): void {
  knownOverride = list
}

/** The migrations the explorer knows now. */
export function knownMigrations(): readonly string[] {
  return knownOverride ?? KNOWN_MIGRATIONS
}

/** The first migration of the 0.7 line: from here on `snapshot_index` is keyed by artifact path. */
const FIRST_OF_0_7: string = migrationsOf('0.7.2')[migrationsOf('0.6.18').length]
/** The first migration of msb 0.7.3: leases, deletion journals and its cleanup rules may be at work. */
const FIRST_OF_0_7_3: string = migrationsOf('0.7.3')[migrationsOf('0.7.2').length]

/** The migration that created today's image tables; older databases cannot be read. */
const IMAGE_SCHEMA = 'm20260410_000001_erofs_image_schema'
const IMAGE_TABLES = ['image_ref', 'manifest', 'config', 'layer', 'manifest_layer']

export class NotAMicrosandboxDatabase extends Error {}

const testedWith = `this explorer knows msb's schemas up to 0.7.11 (tested with msb ${TESTED_MSB_VERSIONS.join(' and ')})`

export function readSchemaState(db: Database.Database): SchemaState {
  const tables = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name)
  )
  if (!tables.has('seaql_migrations')) {
    throw new NotAMicrosandboxDatabase('it has no seaql_migrations table')
  }
  const applied = (db.prepare('SELECT version FROM seaql_migrations').all() as { version: string }[]).map(
    (r) => r.version
  )
  const missingTables = IMAGE_TABLES.filter((t) => !tables.has(t))
  if (!applied.includes(IMAGE_SCHEMA) || missingTables.length > 0) {
    throw new NotAMicrosandboxDatabase(
      `its image tables are missing or predate microsandbox 0.6 (${missingTables.join(', ') || IMAGE_SCHEMA})`
    )
  }
  const line = schemaLine(applied)
  const knownList = knownMigrations()
  const known = new Set<string>(knownList)
  const unknown = applied.filter((v) => !known.has(v))
  if (unknown.length > 0) {
    return {
      kind: 'unknown',
      line: 'newer',
      migrations: applied.length,
      reason: `the database was migrated by a newer msb (unknown migration ${unknown[0]}); it is shown read-only, as ${testedWith}`
    }
  }
  const isPrefix =
    new Set(applied).size === applied.length && applied.every((v) => knownList.indexOf(v) < applied.length)
  if (!isPrefix) {
    return {
      kind: 'unknown',
      line,
      migrations: applied.length,
      reason: `the database has an unexpected set of migrations; it is shown read-only, as ${testedWith}`
    }
  }
  return { kind: 'known', line, migrations: applied.length }
}

/** The msb line whose migrations the home carries: the newest line whose first migration ran on it. */
export function schemaLine(applied: readonly string[]): Exclude<SchemaLine, 'newer'> {
  if (applied.includes(FIRST_OF_0_7_3)) return '0.7.3'
  return applied.includes(FIRST_OF_0_7) ? '0.7' : '0.6'
}

/** The cleaning rules of the home's msb line (old lines' when the schema cannot be read). */
export function readLineRules(db: Database.Database): LineRules {
  try {
    const state = readSchemaState(db)
    return rulesOfLine(state.kind === 'missing' ? '0.6' : state.line)
  } catch {
    return rulesOfLine('0.6')
  }
}

export function isWritableSchema(state: SchemaState): boolean {
  return state.kind === 'known'
}
