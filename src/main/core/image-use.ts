// Who uses each reference's image (other references to the same manifest, sandboxes, snapshots),
// from the database alone. The window shows this with the list, before disk usage is measured, so an
// image in use never looks unused while the files are being sized.
import type { ImageUse } from '../../shared/contract'
import { type CacheState, pinsOf } from './cache-state'
import type { Indexes } from './deletion-plan'

/** One entry per reference, in the order of `references` (the list order). */
export function imageUses(state: CacheState, ix: Indexes, references: string[]): ImageUse[] {
  return references.map((reference) => {
    const ref = ix.refByName.get(reference)
    const manifest = ref ? ix.manifestById.get(ref.manifestId) : undefined
    if (!ref || !manifest) return { reference, manifestDigest: null, aliases: [], sandboxes: [], snapshots: [] }
    const pins = pinsOf(state, manifest)
    return {
      reference,
      manifestDigest: manifest.digest,
      aliases: (ix.refsByManifest.get(manifest.id) ?? []).filter((r) => r.id !== ref.id).map((r) => r.reference),
      sandboxes: pins.sandboxes,
      snapshots: pins.snapshots
    }
  })
}
