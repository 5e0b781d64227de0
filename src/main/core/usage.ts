// What each image really costs on disk, measured from the files (msb's own size is the sum of the
// compressed layer blobs it downloaded, which is not what the cache holds). A layer file used by one
// manifest is that image's unique cost; a layer used by several is shared, as `docker system df -v`
// shows it. fsmeta and vmdk files belong to one manifest and so are always unique.
import type { ImageUsage, LayerUsage } from '../../shared/contract'
import type { CacheFiles } from './cache-files'
import { type CacheState, pinsOf } from './cache-state'
import type { Indexes } from './deletion-plan'
import { digestFileStem } from './digest'
import { metadataKey } from './reference-key'

export interface ManifestCost {
  uniqueBytes: number
  sharedBytes: number
  fsmetaBytes: number | null
  vmdkBytes: number | null
  /** Files msb needs to use the image that are missing (or not regular files), relative to the cache. */
  missing: string[]
}

function fileSize(files: CacheFiles, dir: 'layers' | 'fsmeta' | 'vmdk', digest: string, suffix: string): number | null {
  const stem = digestFileStem(digest)
  return stem ? files.sizeOf(dir, `${stem}${suffix}`) : null
}

export function layerFileBytes(files: CacheFiles, diffId: string): number | null {
  return fileSize(files, 'layers', diffId, '.erofs')
}

/**
 * `layerBytes` memoises layer file sizes by layer id for one computation: a shared layer is asked for
 * once per manifest that uses it (tens of thousands of times at 10,000 images).
 */
export function manifestCost(
  state: CacheState,
  ix: Indexes,
  files: CacheFiles,
  manifestId: number,
  layerBytes: Map<number, number | null> = new Map()
): ManifestCost {
  const m = ix.manifestById.get(manifestId)
  const fsmetaBytes = m ? fileSize(files, 'fsmeta', m.digest, '.erofs') : null
  const vmdkBytes = m ? fileSize(files, 'vmdk', m.digest, '.vmdk') : null
  const missing: string[] = []
  const stem = m ? digestFileStem(m.digest) : null
  if (stem && fsmetaBytes === null) missing.push(`fsmeta/${stem}.erofs`)
  if (stem && vmdkBytes === null) missing.push(`vmdk/${stem}.vmdk`)
  let uniqueBytes = (fsmetaBytes ?? 0) + (vmdkBytes ?? 0)
  let sharedBytes = 0
  for (const layerId of new Set(state.layersOf.get(manifestId) ?? [])) {
    const layer = ix.layerById.get(layerId)
    if (!layer) continue
    let bytes = layerBytes.get(layerId)
    if (bytes === undefined) {
      bytes = layerFileBytes(files, layer.diffId)
      layerBytes.set(layerId, bytes)
    }
    if (bytes === null) {
      const layerStem = digestFileStem(layer.diffId)
      if (layerStem) missing.push(`layers/${layerStem}.erofs`)
    }
    if ((ix.layerUse.get(layerId) ?? 0) > 1) sharedBytes += bytes ?? 0
    else uniqueBytes += bytes ?? 0
  }
  return { uniqueBytes, sharedBytes, fsmetaBytes, vmdkBytes, missing }
}

/** Per-reference usage, in the order of `references` (the list order). */
export function imageUsages(state: CacheState, ix: Indexes, files: CacheFiles, references: string[]): ImageUsage[] {
  const costs = new Map<number, ManifestCost>()
  const layerBytes = new Map<number, number | null>()
  const out: ImageUsage[] = []
  for (const reference of references) {
    const ref = ix.refByName.get(reference)
    const manifest = ref ? ix.manifestById.get(ref.manifestId) : undefined
    if (!ref || !manifest) {
      out.push({
        reference,
        manifestDigest: null,
        uniqueBytes: 0,
        sharedBytes: 0,
        aliases: [],
        sandboxes: [],
        snapshots: [],
        missingFiles: []
      })
      continue
    }
    let cost = costs.get(manifest.id)
    if (!cost) {
      cost = manifestCost(state, ix, files, manifest.id, layerBytes)
      costs.set(manifest.id, cost)
    }
    const key = metadataKey(reference)
    const metadataBytes = key ? (files.sizeOf('manifests', `${key}.json`) ?? 0) : 0
    const pins = pinsOf(state, manifest)
    out.push({
      reference,
      manifestDigest: manifest.digest,
      uniqueBytes: cost.uniqueBytes + metadataBytes,
      sharedBytes: cost.sharedBytes,
      aliases: (ix.refsByManifest.get(manifest.id) ?? []).filter((r) => r.id !== ref.id).map((r) => r.reference),
      sandboxes: pins.sandboxes,
      snapshots: pins.snapshots,
      missingFiles: cost.missing
    })
  }
  return out
}

/** For the layer stack: each layer's file size and the other references that share it. */
export function layerUsages(
  state: CacheState,
  ix: Indexes,
  files: CacheFiles,
  manifestId: number,
  layers: { diffId: string; position: number }[]
): LayerUsage[] {
  const layerIdByDiff = new Map(state.layers.map((l) => [l.diffId, l.id]))
  const sharers = new Map<number, Set<number>>()
  const mine = new Set(state.layersOf.get(manifestId) ?? [])
  for (const [m, ids] of state.layersOf) {
    if (m === manifestId) continue
    for (const id of ids) {
      if (!mine.has(id)) continue
      const set = sharers.get(id) ?? new Set<number>()
      set.add(m)
      sharers.set(id, set)
    }
  }
  const refsOf = (m: number) => (ix.refsByManifest.get(m) ?? []).map((r) => r.reference)
  return layers.map((l) => {
    const id = layerIdByDiff.get(l.diffId)
    const others = id === undefined ? [] : [...(sharers.get(id) ?? [])].flatMap(refsOf)
    return {
      diffId: l.diffId,
      position: l.position,
      fileBytes: layerFileBytes(files, l.diffId),
      sharedWith: [...others].sort()
    }
  })
}
