// The prune report with msb's counters (sdk/rust/lib/image/mod.rs, prune_local): rows for references,
// manifests and layers; files actually unlinked for fsmeta and vmdk; bytes null when no file went.
import type { ImagePruneReport } from '../../../shared/contract'
import type { WriteOutcome } from './write-operation'

export function emptyReport(): ImagePruneReport {
  return {
    imageRefsRemoved: 0,
    manifestsRemoved: 0,
    layersRemoved: 0,
    fsmetaRemoved: 0,
    vmdkRemoved: 0,
    bytesReclaimed: null
  }
}

/**
 * msb's counters: rows for references, manifests and layers; files actually unlinked for fsmeta and vmdk.
 * The bytes are what really left the disk, including files of a killed earlier run finished now.
 */
export function pruneReport(outcome: WriteOutcome): ImagePruneReport {
  const removed = outcome.files.filter((f) => f.removed)
  const recovered = outcome.recovered.filter((f) => f.removed)
  return {
    imageRefsRemoved: outcome.decision.refs.length,
    manifestsRemoved: outcome.decision.manifests.length,
    layersRemoved: outcome.decision.layers.length,
    fsmetaRemoved: removed.filter((f) => f.kind === 'fsmeta').length,
    vmdkRemoved: removed.filter((f) => f.kind === 'vmdk').length,
    bytesReclaimed:
      removed.length + recovered.length > 0 ? [...removed, ...recovered].reduce((n, f) => n + f.bytes, 0) : null,
    ...(outcome.rules.reportsSkippedInUse ? { skippedInUse: outcome.skippedInUse } : {})
  }
}

/** Says in the report that an interrupted removal was finished, and what it freed. */
export function recoveryNotes(outcome: WriteOutcome): string[] {
  const removed = outcome.recovered.filter((f) => f.removed)
  if (removed.length === 0) return []
  const bytes = removed.reduce((n, f) => n + f.bytes, 0)
  return [`finished a removal a killed run left behind: ${removed.length} files, ${bytes} bytes`]
}
