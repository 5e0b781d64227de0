// What a write actually deleted, from two snapshots of a home (rows and files before and after), in
// the terms of a plan: so a test can assert that the preview listed exactly what then went.
import type { DeletionPlan } from '../../src/shared/contract'
import { type CacheFile, type RowDump } from './cache-dump'

export interface Deleted {
  references: string[]
  manifests: string[]
  layers: string[]
  /** Content files (lock files left out), with their sizes before. */
  files: { path: string; bytes: number }[]
  bytes: number
}

export function deletedBetween(
  before: RowDump,
  after: RowDump,
  filesBefore: CacheFile[],
  filesAfter: CacheFile[]
): Deleted {
  const gone = <T>(a: T[], b: T[], key: (t: T) => string) => {
    const left = new Set(b.map(key))
    return a.filter((x) => !left.has(key(x)))
  }
  const column = (name: string) => (row: Record<string, unknown>) => String(row[name])
  const afterPaths = new Set(filesAfter.map((f) => f.path))
  const files = filesBefore
    .filter((f) => !f.path.endsWith('.lock') && !afterPaths.has(f.path))
    .map(({ path, bytes }) => ({ path, bytes }))
  return {
    references: gone(before.image_ref, after.image_ref, column('id')).map(column('reference')).sort(),
    manifests: gone(before.manifest, after.manifest, column('id')).map(column('digest')).sort(),
    layers: gone(before.layer, after.layer, column('id')).map(column('diff_id')).sort(),
    files: files.sort((a, b) => (a.path < b.path ? -1 : 1)),
    bytes: files.reduce((n, f) => n + f.bytes, 0)
  }
}

/** A plan in the same terms, for `expect(planned(plan)).toEqual(deletedBetween(…))`. */
export function planned(plan: DeletionPlan): Deleted {
  return {
    references: [...plan.references].sort(),
    manifests: [...plan.manifests].sort(),
    layers: [...plan.layers].sort(),
    files: plan.files.map(({ path, bytes }) => ({ path, bytes })).sort((a, b) => (a.path < b.path ? -1 : 1)),
    bytes: plan.totalBytes
  }
}
