// The schema gate. msb treats `seaql_migrations` as a set that must equal a prefix of the migrations
// its binary knows (schema_metadata::canonical_applied_prefix). The explorer reads any schema that has
// the image tables, but writes only to one it knows exactly, so a newer msb's data is never damaged.
import type Database from 'better-sqlite3'
import type { SchemaState } from '../../shared/contract'

/** The migrations of msb 0.6.18, in its order (read from a database that 0.6.18 created). */
export const KNOWN_MIGRATIONS = [
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

/** The migration that created today's image tables; older databases cannot be read. */
const IMAGE_SCHEMA = 'm20260410_000001_erofs_image_schema'
const IMAGE_TABLES = ['image_ref', 'manifest', 'config', 'layer', 'manifest_layer']

export class NotAMicrosandboxDatabase extends Error {}

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
  const known = new Set<string>(KNOWN_MIGRATIONS)
  const unknown = applied.filter((v) => !known.has(v))
  if (unknown.length > 0) {
    return {
      kind: 'unknown',
      migrations: applied.length,
      reason: `the database was migrated by a newer msb (unknown migration ${unknown[0]}); it is shown read-only`
    }
  }
  const isPrefix =
    new Set(applied).size === applied.length &&
    applied.every((v) => KNOWN_MIGRATIONS.indexOf(v as never) < applied.length)
  if (!isPrefix) {
    return {
      kind: 'unknown',
      migrations: applied.length,
      reason: 'the database has an unexpected set of migrations; it is shown read-only'
    }
  }
  return { kind: 'known', migrations: applied.length }
}

export function isWritableSchema(state: SchemaState): boolean {
  return state.kind === 'known'
}
