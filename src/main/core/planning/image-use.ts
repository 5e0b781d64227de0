// Who uses each reference's image (other references to the same manifest, sandboxes, snapshots),
// from the database alone. The window shows this with the list, before disk usage is measured, so an
// image in use never looks unused while the files are being sized. It reads the references, the
// manifests' digests and the pins, and nothing of layers, so it costs about what `list` costs. Usage
// (usage.ts) says the same of each image through `imageUseOf`, so the two cannot disagree.
import type Database from 'better-sqlite3'
import type { ImageUse } from '../../../shared/contract'
import { type CacheState, type ManifestRecord, pinsOf, readPins, type RefRecord } from '../database/cache-state'
import { type Indexes, indexState } from './deletion-plan'

/** One entry per reference, in the order of `references` (the list order). */
export function readImageUses(db: Database.Database, references: string[]): ImageUse[] {
  const refs = db
    .prepare('SELECT id, reference, manifest_id AS manifestId FROM image_ref ORDER BY id')
    .all() as RefRecord[]
  const manifests = db.prepare('SELECT id, digest FROM manifest').all() as ManifestRecord[]
  // No layers: who uses an image does not depend on them.
  const state: CacheState = { refs, manifests, layers: [], layersOf: new Map(), ...readPins(db) }
  const ix = indexState(state)
  return references.map((reference) => imageUseOf(state, ix, reference))
}

/** The image a reference names and who uses it; no manifest digest when the reference is unknown. */
export function imageUseOf(
  state: Pick<CacheState, 'rootfsPins' | 'startingPins' | 'snapshotPins'>,
  ix: Pick<Indexes, 'refByName' | 'manifestById' | 'refsByManifest'>,
  reference: string
): ImageUse {
  const ref = ix.refByName.get(reference)
  const manifest = ref ? ix.manifestById.get(ref.manifestId) : undefined
  if (!ref || !manifest) return { reference, manifestDigest: null, aliases: [], sandboxes: [], snapshots: [] }
  const { aliases, sandboxes, snapshots } = usersOf(state, ix, ref, manifest)
  return { reference, manifestDigest: manifest.digest, aliases, sandboxes, snapshots }
}

/** Who uses the image a known reference names: its other references, sandboxes and snapshots. */
export function usersOf(
  state: Pick<CacheState, 'rootfsPins' | 'startingPins' | 'snapshotPins'>,
  ix: Pick<Indexes, 'refsByManifest'>,
  ref: RefRecord,
  manifest: ManifestRecord
): Pick<ImageUse, 'aliases' | 'sandboxes' | 'snapshots'> {
  const { sandboxes, snapshots } = pinsOf(state, manifest)
  const refsOfManifest = ix.refsByManifest.get(manifest.id) ?? []
  // Almost every image has one reference: no filtering for those.
  const aliases =
    refsOfManifest.length === 1 ? [] : refsOfManifest.filter((r) => r.id !== ref.id).map((r) => r.reference)
  return { aliases, sandboxes, snapshots }
}
