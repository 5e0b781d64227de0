// A "0.7.8 home": what msb 0.7.3 and later leave, built honestly without their binary (none installs here).
// Their two migrations touch no image table (crates/migration/lib/lib.rs @3129f858: 0.7.3's rewrites sandbox
// config JSON, 0.7.7's is an empty version marker), so a real msb 0.7.2 home plus the two `seaql_migrations`
// rows, written as sea-orm-migration writes every row (version, applied_at = Unix seconds), is such a home.
// On top: a snapshot row still `publishing` (0.7.3+ pins its image whatever the availability, cleanup.rs
// @3129f858), the small scenario's sandbox pin and shared layers.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { migrationsOf } from '../../src/shared/msb-versions'
import { runMsb } from '../../src/main/demo/msb'
import { buildScenario, type BuiltScenario } from '../fixtures/scenarios'
import { smallScenario } from './small-scenario'

/** The migrations msb 0.7.3 and 0.7.7 add after 0.7.2's, in their order. */
export const MIGRATIONS_AFTER_0_7_2 = migrationsOf('0.7.7').slice(migrationsOf('0.7.2').length)

/** Adds what msb 0.7.3+ adds to a 0.7.2 home's catalog on its first command: its migration rows. */
export function migrateTo078(home: string): void {
  const db = new Database(join(home, 'db', 'msb.db'))
  try {
    const at = Math.floor(Date.now() / 1000)
    const insert = db.prepare('INSERT INTO seaql_migrations (version, applied_at) VALUES (?, ?)')
    db.transaction(() => {
      for (const version of MIGRATIONS_AFTER_0_7_2) insert.run(version, at)
    })()
  } finally {
    db.close()
  }
}

/** Marks every snapshot row of `manifestDigest` as msb 0.7.3+ leaves one mid-publication. */
export function markPublishing(home: string, manifestDigest: string): void {
  const db = new Database(join(home, 'db', 'msb.db'))
  try {
    db.prepare(`UPDATE snapshot_index SET availability = 'publishing' WHERE image_manifest_digest = ?`).run(
      manifestDigest
    )
  } finally {
    db.close()
  }
}

/**
 * The small scenario built by msb 0.7.2 (or built by 0.6.18 and migrated by 0.7.2 when `from06`), then
 * brought to the 0.7.8 schema; its snapshot (of `localhost/db:1`) is `publishing`.
 */
export function build078Home(home: string, options: { from06?: boolean } = {}): BuiltScenario {
  const built = buildScenario(home, smallScenario(), { msb: options.from06 ? '0.6.18' : '0.7.2' })
  if (options.from06) runMsb(home, ['image', 'ls'], { msb: '0.7.2' })
  migrateTo078(home)
  for (const pin of built.snapshotPins) markPublishing(home, pin.manifestDigest)
  return built
}
