// The prune report with msb's counters (sdk/rust/lib/image/mod.rs, prune_local): rows for references,
// manifests and layers; files actually unlinked for fsmeta and vmdk; bytes null when no file went.
import type { ImagePruneReport } from '../../shared/contract'
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

/** msb's counters: rows for references, manifests and layers; files actually unlinked for fsmeta and vmdk. */
export function pruneReport(outcome: WriteOutcome): ImagePruneReport {
  const removed = outcome.files.filter((f) => f.removed)
  return {
    imageRefsRemoved: outcome.decision.refs.length,
    manifestsRemoved: outcome.decision.manifests.length,
    layersRemoved: outcome.decision.layers.length,
    fsmetaRemoved: removed.filter((f) => f.kind === 'fsmeta').length,
    vmdkRemoved: removed.filter((f) => f.kind === 'vmdk').length,
    bytesReclaimed: removed.length > 0 ? removed.reduce((n, f) => n + f.bytes, 0) : null
  }
}
