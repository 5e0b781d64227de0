// `status`: where the cache is, what it holds, and whether the explorer may write to it now.
import type { CacheStatus } from '../../shared/contract'
import type { ReadSide } from './database/read-side'
import { isWritableSchema, readSchemaState } from './database/schema'
import { leaseHeldSteadily } from './writing/write-operation'

/** The fields that do not need the database. */
export type StatusBase = Pick<
  CacheStatus,
  'home' | 'cacheDir' | 'dbPath' | 'revision' | 'demoAvailable' | 'demoOf' | 'problem' | 'alsoHomes' | 'sharedCache'
>

/**
 * `baseOf` is asked after the database is opened, so the revision includes what opening it did. A home
 * that cannot be opened (`problem`) is never read: the status says why, every other operation refuses.
 */
export function readStatus(reads: ReadSide, baseOf: () => StatusBase, problem?: string): CacheStatus {
  const side = problem ? null : reads.get()
  const base = baseOf()
  if (!side) {
    return {
      ...base,
      schema: { kind: 'missing' },
      readOnly: true,
      readOnlyReason: problem ?? 'there is no microsandbox database yet (nothing has been pulled)',
      imageCount: 0,
      manifestCount: 0,
      layerCount: 0
    }
  }
  return reads.guard(() => {
    // msb may migrate the database while the explorer is open.
    side.schema = readSchemaState(side.db)
    const count = (table: string) => side.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number
    const lease = leaseHeldSteadily(side.db)
    const readOnlyReason =
      side.schema.kind === 'unknown'
        ? side.schema.reason
        : lease
          ? `msb is installing or upgrading itself (until ${lease}); remove and prune wait until it is done`
          : null
    return {
      ...base,
      schema: side.schema,
      readOnly: readOnlyReason !== null || !isWritableSchema(side.schema),
      readOnlyReason,
      imageCount: count('image_ref'),
      manifestCount: count('manifest'),
      layerCount: count('layer')
    }
  })
}
