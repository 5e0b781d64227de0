// The schema gate. msb treats `seaql_migrations` as a set that must equal a prefix of the migrations
// its binary knows (schema_metadata::canonical_applied_prefix). The explorer reads any schema that has
// the image tables, but writes only to one it knows exactly, so a newer msb's data is never damaged.
//
// Two msb lines are known. 0.7 added two migrations that rebuild `snapshot_index` (key `artifact_path`,
// new `snapshot_id`, `descriptor_digest`, `group_name`, `group_path`) and left every table remove and
// prune write (image_ref, manifest, config, layer, manifest_layer) and read (sandbox, sandbox_rootfs,
// snapshot_index.image_manifest_digest) as it was, so one write path serves both lines.
import type Database from 'better-sqlite3'
import type { SchemaLine, SchemaState } from '../../shared/contract'
import { TESTED_MSB_VERSIONS } from '../../shared/msb-versions'

/** The migrations of msb 0.6.18, in its order (read from a database that 0.6.18 created). */
const MIGRATIONS_0_6 = [
  'm20260305_000001_create_image_tables',
  'm20260305_000002_create_sandbox_tables',
  'm20260305_000003_create_storage_tables',
  'm20260305_000004_create_sandbox_images_table',
  'm20260410_000001_erofs_image_schema',
  'm20260501_000001_create_snapshot_index',
  'm20260517_000001_drop_sandbox_metric',
  'm20260527_000001_migrate_oci_rootfs_source',
  'm20260531_000001_create_sandbox_labels',
  'm20260531_000002_index_sandbox_labels_key_value',
  'm20260606_000001_named_volume_kinds',
  'm20260621_000001_add_sandbox_ephemeral',
  'm20260621_000002_create_maintenance_lease',
  'm20260703_000001_add_sandbox_active_config',
  'm20260708_000001_migrate_bind_rootfs_source',
  'm20260710_000001_migrate_root_disk',
  'm20260714_000001_add_snapshot_scope',
  'm20260723_000001_snapshot_artifact_transition',
  'm20260719_000001_create_cpu_allocations',
  'm20260803_000001_create_writeback_allocations',
  'm20260808_000001_create_memory_allocation_nodes',
  'm20260810_000001_rebuild_sandbox_labels',
  'm20260813_000001_share_cpu_allocations',
  'm20260824_000001_mount_owner_config',
  'm20260818_000001_sandbox_network_slot'
] as const

/** What msb 0.7.2 adds (read from a database that 0.7.2 created, and from a 0.6.18 one it migrated). */
const MIGRATIONS_0_7 = ['m20260829_000001_split_snapshot_identity', 'm20260910_000001_snapshot_groups'] as const

/** Every migration the explorer knows, in msb 0.7.2's order. */
export const KNOWN_MIGRATIONS = [...MIGRATIONS_0_6, ...MIGRATIONS_0_7] as const

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
const FIRST_OF_0_7: string = MIGRATIONS_0_7[0]

/** The migration that created today's image tables; older databases cannot be read. */
const IMAGE_SCHEMA = 'm20260410_000001_erofs_image_schema'
const IMAGE_TABLES = ['image_ref', 'manifest', 'config', 'layer', 'manifest_layer']

export class NotAMicrosandboxDatabase extends Error {}

const testedWith = `this explorer was tested with msb ${TESTED_MSB_VERSIONS.join(' and ')} only`

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

/** The msb line whose migrations the home carries: 0.7 once 0.7's first migration ran, else 0.6. */
export function schemaLine(applied: readonly string[]): Exclude<SchemaLine, 'newer'> {
  return applied.includes(FIRST_OF_0_7) ? '0.7' : '0.6'
}

export function isWritableSchema(state: SchemaState): boolean {
  return state.kind === 'known'
}
