// The msb releases the explorer knows, in one table: the migrations each adds to a home, the schema line a
// home is at once it ran them, whether the explorer's fixtures run that very binary, and what the release
// does that the explorer must match on its homes. The schema gate (src/main/core/database/schema.ts), the rules of
// remove and prune (`rulesOfLine`), the fixtures' binaries (src/main/demo/msb.ts) and every
// place that names a home's schema read it from here.
import type { SchemaLine, SchemaState } from './contract'

export interface MsbRelease {
  version: string
  /** The schema line a home is at once this release's migrations ran on it. */
  line: Exclude<SchemaLine, 'newer'>
  /** The migrations this release adds to the previous one's, in its order. */
  migrations: readonly string[]
  /** A real binary of this release builds the fixtures and is compared with (npm); else built to its source. */
  tested: boolean
  /**
   * Where its binary is installed: the platform package `@superradcompany/microsandbox-<triple>` (null), or an
   * npm alias of the linux-x64 package (package.json) for a release installed beside it.
   */
  npmAlias?: string
  /** Its readers and deleters coordinate through `.msb-leases` flocks (null: not determined from the source). */
  takesLeases: boolean | null
  /** It never deletes a lock file (its lock files are stable inodes other processes lock). */
  keepsLockFiles: boolean
}

/** The migrations of msb 0.6.18, in its order (read from a database that 0.6.18 created). */
const MIGRATIONS_0_6_18 = [
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

/**
 * Every release whose schema the explorer knows, oldest first. 0.7.3 and 0.7.7 are read from msb's source
 * (crates/migration/lib/lib.rs @3129f858): their migrations rewrite only sandbox config JSON (0.7.3) or are an
 * empty version marker (0.7.7); no image table or pin changes. Leases: crates/image/lib/storage_lease.rs
 * @a9ba0957 (in 0.7.7, not in 0.7.2); lock files kept: test `concurrent_pruners_preserve_stable_lock_files`,
 * sdk/rust/lib/image/cleanup.rs @3129f858. Whether 0.7.3 to 0.7.6 take leases is not determined.
 */
export const MSB_RELEASES: readonly MsbRelease[] = [
  {
    version: '0.6.18',
    line: '0.6',
    migrations: MIGRATIONS_0_6_18,
    tested: true,
    takesLeases: false,
    keepsLockFiles: false
  },
  {
    version: '0.7.2',
    line: '0.7',
    // Read from a database that 0.7.2 created, and from a 0.6.18 one it migrated.
    migrations: ['m20260829_000001_split_snapshot_identity', 'm20260910_000001_snapshot_groups'],
    tested: true,
    npmAlias: 'msb-0-7',
    takesLeases: false,
    keepsLockFiles: false
  },
  {
    version: '0.7.3',
    line: '0.7.3',
    migrations: ['m20260922_000001_migrate_secret_config'],
    tested: false,
    takesLeases: null,
    keepsLockFiles: true
  },
  {
    version: '0.7.7',
    line: '0.7.3',
    migrations: ['m20261001_000001_guest_clock_config'],
    tested: false,
    takesLeases: true,
    keepsLockFiles: true
  }
]

/** What the explorer must do on a home of one schema line (the rules of the releases that write it). */
export interface LineRules {
  /** Lock files stay: `.msb-leases/*`, `*.erofs.lock`, `*.vmdk.lock`, `manifests/*.lock` and the rest. */
  keepLockFiles: boolean
  /**
   * msb 0.7.3+ remove: a snapshot pins for `rm` as a sandbox does ("sandbox or snapshot dependency"), `--force`
   * only untags (metadata JSON kept too), a re-tag during the removal fails it (cleanup.rs @3129f858).
   */
  cleanupOf073: boolean
  /** Its prune report has `skipped_in_use` (ImagePruneReport, sdk/rust/lib/image/mod.rs @3129f858). */
  reportsSkippedInUse: boolean
}

export function rulesOfLine(line: SchemaLine): LineRules {
  const newest = line === '0.7.3' || line === 'newer'
  return { keepLockFiles: newest, cleanupOf073: newest, reportsSkippedInUse: newest }
}

/** Every migration the explorer knows, in the newest known release's order. */
export const KNOWN_MIGRATIONS: readonly string[] = MSB_RELEASES.flatMap((r) => r.migrations)

/** The migrations a home has once `version` ran on it (its own and every older release's). */
export function migrationsOf(version: string): readonly string[] {
  const at = MSB_RELEASES.findIndex((r) => r.version === version)
  if (at < 0) throw new Error(`unknown msb release ${version}`)
  return MSB_RELEASES.slice(0, at + 1).flatMap((r) => r.migrations)
}

/** The releases whose binaries the fixtures run (npm), oldest first. */
export const TESTED_MSB_VERSIONS: readonly string[] = MSB_RELEASES.filter((r) => r.tested).map((r) => r.version)

/** How a schema line is named: "msb 0.7.3 or later" for the line no binary here can run. */
export function lineName(line: Exclude<SchemaLine, 'newer'>): string {
  return line === '0.7.3' ? 'msb 0.7.3 or later' : `msb ${line}`
}

/** One line for the window, `df` and `--version`: which msb line's schema the home is at. */
export function describeSchema(schema: SchemaState): string {
  if (schema.kind === 'missing') return 'no msb database yet'
  const migrations = `${schema.migrations} migrations`
  if (schema.line === 'newer') return `schema of a newer msb (${migrations}; read-only)`
  return `${lineName(schema.line)} schema (${migrations}${schema.kind === 'unknown' ? '; unexpected set, read-only' : ''})`
}
