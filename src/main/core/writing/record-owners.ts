// Which metadata records (`manifests/<key>.json`) this home's references still own, kept up to date by a
// batched write as its batches delete references: the state it decided on does not see its own deletions,
// and reading every reference again (a sha256 each) per batch of 48 made a prune of 10,000 images quadratic.
import type { CacheState, ManifestRecord, RefRecord } from '../database/cache-state'
import { metadataName } from '../homes/file-names'
import type { RecordOwners } from '../planning/plan-files'

export class RecordOwnership {
  private readonly owners = new Map<string, number>()
  private readonly recordOf = new Map<number, string | null>()
  readonly manifestById: ReadonlyMap<number, ManifestRecord>

  constructor(state: CacheState) {
    for (const r of state.refs) {
      const record = metadataName(r.reference)
      this.recordOf.set(r.id, record)
      if (record !== null) this.owners.set(record, (this.owners.get(record) ?? 0) + 1)
    }
    this.manifestById = new Map(state.manifests.map((m) => [m.id, m]))
  }

  /** Whether some reference of the home owns `name` (a `manifests/` entry name) now. */
  owns = (name: string): boolean => (this.owners.get(name) ?? 0) > 0

  /** For filesOf: a record stays when a reference other than `removed` still owns it. */
  keptBesides(removed: readonly RefRecord[]): RecordOwners {
    const leaving = new Map<string, number>()
    for (const r of removed) {
      const record = this.recordOf.get(r.id)
      if (record) leaving.set(record, (leaving.get(record) ?? 0) + 1)
    }
    return {
      kept: (record) => (this.owners.get(record) ?? 0) > (leaving.get(record) ?? 0),
      manifestById: this.manifestById
    }
  }

  /** After COMMIT: `refs` are gone. */
  drop(refs: readonly RefRecord[]): void {
    for (const r of refs) {
      const record = this.recordOf.get(r.id)
      if (!record) continue
      const left = (this.owners.get(record) ?? 0) - 1
      if (left > 0) this.owners.set(record, left)
      else this.owners.delete(record)
    }
  }
}
