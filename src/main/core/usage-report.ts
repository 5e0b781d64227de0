// `usage` and `insight`: what the cache and one image cost on disk, measured from the files and read
// from one database snapshot, with the shared and reclaimable sums the usage view shows.
import type { CacheUsage, ImageInsight, SelectionUsage } from '../../shared/contract'
import type { CacheFiles } from './cache-files'
import { readCacheState } from './cache-state'
import { decidePruneUnused, indexState } from './deletion-plan'
import type { Planner } from './planner'
import type { OpenReadSide, ReadSide } from './read-side'
import { danglingUsage, imageUsages, layerUsages, NOTHING_STAYS, selectionUsage, sharedLayerBytes } from './usage'

export function imageInsight(reads: ReadSide, files: CacheFiles, reference: string): ImageInsight {
  const side = reads.getOrNotFound(reference)
  return reads.guard(() =>
    files.within(
      side.db.transaction(() => {
        const { row, detail } = side.queries.inspect(reference)
        const state = readCacheState(side.db)
        const ix = indexState(state)
        const [usage] = imageUsages(state, ix, files, [reference])
        const m = row.manifestId
        const layers = m === null ? [] : layerUsages(state, ix, files, m, detail.layers)
        const stem = row.digest?.replace(':', '_')
        return {
          detail,
          usage,
          layers,
          fsmetaBytes: stem ? files.sizeOf('fsmeta', `${stem}.erofs`) : null,
          vmdkBytes: stem ? files.sizeOf('vmdk', `${stem}.vmdk`) : null
        }
      })
    )
  )
}

/** The usage, and whether it came from a database (only then is it worth remembering). */
export function cacheUsage(
  reads: ReadSide,
  files: CacheFiles,
  planner: Planner,
  /** Told how many files have been measured so far (CacheFiles.within). */
  onMeasured?: (filesMeasured: number) => void
): { usage: CacheUsage; fromDatabase: boolean } {
  // One view of the files for the whole computation (see CacheFiles.within).
  return files.within(() => {
    const side = reads.get()
    const totals = files.totals()
    const totalBytes = totals.reduce((n, t) => n + t.bytes, 0)
    if (!side) {
      const usage = {
        images: [],
        totals,
        totalBytes,
        sharedLayerBytes: 0,
        reclaimableBytes: 0,
        danglingBytes: 0,
        dangling: []
      }
      return { usage, fromDatabase: false }
    }
    const usage = reads.guard(() => side.db.transaction(() => usageOf(side, files, planner, totals, totalBytes))())
    return { usage, fromDatabase: true }
  }, onMeasured)
}

function usageOf(
  side: OpenReadSide,
  files: CacheFiles,
  planner: Planner,
  totals: CacheUsage['totals'],
  totalBytes: number
): CacheUsage {
  const references = side.queries.listReferences()
  const state = readCacheState(side.db)
  const ix = indexState(state)
  return {
    images: imageUsages(state, ix, files, references),
    totals,
    totalBytes,
    sharedLayerBytes: sharedLayerBytes(state, ix, files),
    reclaimableBytes: planner.planBytes(state, decidePruneUnused(state, ix)),
    ...danglingUsage(planner.dangling(state, ix), state, files)
  }
}

/** What removing `references` together frees (see usage.ts, selectionUsage). */
export function selectionUsageOf(
  reads: ReadSide,
  files: CacheFiles,
  planner: Planner,
  references: string[]
): SelectionUsage {
  const side = reads.get()
  if (!side) return { freedBytes: 0, inUse: [], missing: [...new Set(references)], dataStays: NOTHING_STAYS }
  return reads.guard(() =>
    files.within(
      side.db.transaction(() => {
        const state = readCacheState(side.db)
        return selectionUsage(state, indexState(state), references, (d) => planner.planBytes(state, d))
      })
    )
  )
}
