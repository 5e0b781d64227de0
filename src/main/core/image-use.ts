// Who uses each reference's image (other references to the same manifest, sandboxes, snapshots),
// from the database alone. The window shows this with the list, before disk usage is measured, so an
// image in use never looks unused while the files are being sized. It reads the references, the
// manifests' digests and the pins, and nothing of layers, so it costs about what `list` costs.
import type Database from 'better-sqlite3'
import type { ImageUse } from '../../shared/contract'
import { type ManifestRecord, pinsOf, readPins, type RefRecord } from './cache-state'

/** One entry per reference, in the order of `references` (the list order). */
export function readImageUses(db: Database.Database, references: string[]): ImageUse[] {
  const refs = db
    .prepare('SELECT id, reference, manifest_id AS manifestId FROM image_ref ORDER BY id')
    .all() as RefRecord[]
  const manifests = db.prepare('SELECT id, digest FROM manifest').all() as ManifestRecord[]
  const pins = readPins(db)
  const manifestById = new Map(manifests.map((m) => [m.id, m]))
  const refByName = new Map<string, RefRecord>()
  const refsByManifest = new Map<number, RefRecord[]>()
  for (const r of refs) {
    refByName.set(r.reference, r)
    const list = refsByManifest.get(r.manifestId)
    if (list) list.push(r)
    else refsByManifest.set(r.manifestId, [r])
  }
  return references.map((reference) => {
    const ref = refByName.get(reference)
    const manifest = ref ? manifestById.get(ref.manifestId) : undefined
    if (!ref || !manifest) return { reference, manifestDigest: null, aliases: [], sandboxes: [], snapshots: [] }
    const { sandboxes, snapshots } = pinsOf(pins, manifest)
    const aliases = (refsByManifest.get(manifest.id) ?? []).filter((r) => r.id !== ref.id).map((r) => r.reference)
    return { reference, manifestDigest: manifest.digest, aliases, sandboxes, snapshots }
  })
}
