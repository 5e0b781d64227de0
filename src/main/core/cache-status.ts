// What the window's header and banner show about the database: its schema, whether remove and prune
// may run now, and how many rows it holds.
import type Database from 'better-sqlite3'
import type { CacheStatus } from '../../shared/contract'
import { isWritableSchema, readSchemaState } from './schema'
import { leaseHeldSteadily } from './write-operation'

type DatabaseStatus = Pick<
  CacheStatus,
  'schema' | 'readOnly' | 'readOnlyReason' | 'imageCount' | 'manifestCount' | 'layerCount'
>

export const NO_DATABASE_REASON = 'there is no microsandbox database yet (nothing has been pulled)'

export function databaseStatus(db: Database.Database): DatabaseStatus {
  // msb may migrate the database while the explorer is open.
  const schema = readSchemaState(db)
  const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number
  const lease = leaseHeldSteadily(db)
  const readOnlyReason =
    schema.kind === 'unknown'
      ? schema.reason
      : lease
        ? `msb is installing or upgrading itself (until ${lease}); remove and prune wait until it is done`
        : null
  return {
    schema,
    readOnly: readOnlyReason !== null || !isWritableSchema(schema),
    readOnlyReason,
    imageCount: count('image_ref'),
    manifestCount: count('manifest'),
    layerCount: count('layer')
  }
}
