// What each image really costs on disk, measured from the files (msb's own size is the sum of the
// compressed layer blobs it downloaded, which is not what the cache holds). A layer file used by one
// manifest is that image's unique cost; a layer used by several is shared, as `docker system df -v`
// shows it. fsmeta and vmdk files belong to one manifest and so are always unique.
import type { CacheUsage, DanglingItem, ImageUsage, LayerUsage, SelectionUsage } from '../../../shared/contract'
import type { CacheFiles } from '../files/cache-files'
import type { CacheState } from '../database/cache-state'
import { decideRemove, type Indexes, type RowDecision } from '../planning/deletion-plan'
import { filesOf } from '../planning/plan-files'
import { usersOf } from '../planning/image-use'
import { type ContentDir, contentPath } from '../homes/cache-paths'
import { layerFileName, manifestFileNames, metadataName, recordsOf } from '../homes/file-names'

export interface ManifestCost {
  uniqueBytes: number
  sharedBytes: number
  fsmetaBytes: number | null
  vmdkBytes: number | null
  /** Files msb needs to use the image that are missing (or not regular files), relative to the cache. */
  missing: string[]
}

export function layerFileBytes(files: CacheFiles, diffId: string): number | null {
  const name = layerFileName(diffId)
  return name === null ? null : files.sizeOf('layers', name)
}

/** What one layer adds to each manifest that uses it. */
interface LayerCost {
  bytes: number
  /** Used by more than one manifest: shared bytes, else unique. */
  shared: boolean
  /** `layers/<stem>.erofs` when that file is missing (or not a regular file). */
  missing: string | null
}

/**
 * `layerCosts` memoises each layer's cost by layer id for one computation: a shared layer is asked for
 * once per manifest that uses it (tens of thousands of times at 10,000 images).
 */
export function manifestCost(
  state: CacheState,
  ix: Indexes,
  files: CacheFiles,
  manifestId: number,
  layerCosts: Map<number, LayerCost | null> = new Map()
): ManifestCost {
  const m = ix.manifestById.get(manifestId)
  const names = m ? manifestFileNames(m.digest) : null
  const fsmetaBytes = names ? files.sizeOf('fsmeta', names.fsmeta) : null
  const vmdkBytes = names ? files.sizeOf('vmdk', names.vmdk) : null
  const missing: string[] = []
  if (names && fsmetaBytes === null) missing.push(contentPath('fsmeta', names.fsmeta))
  if (names && vmdkBytes === null) missing.push(contentPath('vmdk', names.vmdk))
  let uniqueBytes = (fsmetaBytes ?? 0) + (vmdkBytes ?? 0)
  let sharedBytes = 0
  const layerIds = state.layersOf.get(manifestId) ?? []
  for (let i = 0; i < layerIds.length; i++) {
    const layerId = layerIds[i]
    // A manifest that names a layer twice holds its file once.
    if (layerIds.indexOf(layerId) !== i) continue
    let cost = layerCosts.get(layerId)
    if (cost === undefined) {
      cost = layerCostOf(ix, files, layerId)
      layerCosts.set(layerId, cost)
    }
    if (!cost) continue
    if (cost.missing) missing.push(cost.missing)
    if (cost.shared) sharedBytes += cost.bytes
    else uniqueBytes += cost.bytes
  }
  return { uniqueBytes, sharedBytes, fsmetaBytes, vmdkBytes, missing }
}

function layerCostOf(ix: Indexes, files: CacheFiles, layerId: number): LayerCost | null {
  const layer = ix.layerById.get(layerId)
  if (!layer) return null
  const name = layerFileName(layer.diffId)
  const bytes = name === null ? null : files.sizeOf('layers', name)
  return {
    bytes: bytes ?? 0,
    shared: (ix.layerUse.get(layerId) ?? 0) > 1,
    missing: name !== null && bytes === null ? contentPath('layers', name) : null
  }
}

/**
 * Per-reference usage, in the order of `references` (the list order).
 *
 * `freedBytes` is what `rm REF --force` alone would free, the very `totalBytes` of its plan
 * (decideRemove + filesOf), derived for every reference in one pass instead of one plan each:
 *   - the metadata file `manifests/<key>.json` goes unless another reference normalises to the same key
 *     (`sharesMetadataWith` names them);
 *   - the manifest's own files and the layers no other manifest uses go only with its last reference
 *     and only when no sandbox or snapshot pins it (that is the manifest's `uniqueBytes`).
 */
export function imageUsages(state: CacheState, ix: Indexes, files: CacheFiles, references: string[]): ImageUsage[] {
  const costs = new Map<number, ManifestCost>()
  const layerCosts = new Map<number, LayerCost | null>()
  const refsByRecord = recordsOf(state).referencesOf
  const manifestsDir = files.scan('manifests')
  const out: ImageUsage[] = []
  // Built as literals in one shape, without spreading a use object: ~10,000 each in a new process.
  for (const reference of references) {
    const ref = ix.refByName.get(reference)
    const manifest = ref ? ix.manifestById.get(ref.manifestId) : undefined
    const record = metadataName(reference)
    const entry = record ? manifestsDir.get(record) : undefined
    const metadataBytes = entry?.isFile ? entry.bytes : 0
    const sameRecord = record ? refsByRecord.get(record) : undefined
    // Almost every reference has its record to itself: no filtering for those.
    const sharesMetadataWith =
      !sameRecord || (sameRecord.length === 1 && sameRecord[0] === reference)
        ? []
        : sameRecord.filter((r) => r !== reference)
    const metadataFreed = ref && sameRecord?.length === 1 ? metadataBytes : 0
    if (!ref || !manifest) {
      out.push({
        reference,
        manifestDigest: null,
        aliases: [],
        sandboxes: [],
        snapshots: [],
        uniqueBytes: 0,
        sharedBytes: 0,
        freedBytes: metadataFreed,
        sharesMetadataWith,
        missingFiles: [],
        flatBytes: 0,
        flatAllocatedBytes: 0
      })
      continue
    }
    const { aliases, sandboxes, snapshots } = usersOf(state, ix, ref, manifest)
    let cost = costs.get(manifest.id)
    if (!cost) {
      cost = manifestCost(state, ix, files, manifest.id, layerCosts)
      costs.set(manifest.id, cost)
    }
    // Its data goes with its last reference, unless a sandbox or snapshot holds it.
    const goesWithIt = aliases.length === 0 && sandboxes.length === 0 && snapshots.length === 0
    out.push({
      reference,
      manifestDigest: manifest.digest,
      aliases,
      sandboxes,
      snapshots,
      uniqueBytes: cost.uniqueBytes + metadataBytes,
      sharedBytes: cost.sharedBytes,
      freedBytes: metadataFreed + (goesWithIt ? cost.uniqueBytes : 0),
      sharesMetadataWith,
      missingFiles: cost.missing,
      // Filled in by usage-report.ts (withFlat), which reads flat/ once for every image.
      flatBytes: 0,
      flatAllocatedBytes: 0
    })
  }
  return out
}

/**
 * What removing `references` together frees: the `totalBytes` of their remove plan with force (the
 * planner's own decision and file list, so the figure cannot drift from the plan). Unknown references
 * are skipped: a selection may outlive a reference msb removed meanwhile.
 */
export function selectionUsage(
  state: CacheState,
  ix: Indexes,
  references: string[],
  /** The plan's bytes for a decision (Planner.planBytes: what a shared cache keeps is not counted). */
  bytesOf: (decision: RowDecision) => number
): SelectionUsage {
  const unique = [...new Set(references)]
  const present = unique.filter((r) => ix.refByName.has(r))
  const missing = unique.filter((r) => !ix.refByName.has(r))
  if (present.length === 0) return { freedBytes: 0, inUse: [], missing, dataStays: NOTHING_STAYS }
  const decision = decideRemove(state, present, true, ix)
  const inUse = decision.kept.filter((k) => k.reason === 'sandbox').map((k) => k.reference)
  return { freedBytes: bytesOf(decision), inUse, missing, dataStays: whyDataStays(decision, present, ix) }
}

export const NOTHING_STAYS: SelectionUsage['dataStays'] = { otherTags: [], sandboxes: [], snapshots: [] }

/** The reasons a removal of `present` leaves data: the images' other (unselected) tags and their pins. */
function whyDataStays(decision: RowDecision, present: string[], ix: Indexes): SelectionUsage['dataStays'] {
  const chosen = new Set(present)
  const otherTags = new Set<string>()
  for (const name of present) {
    const manifestId = ix.refByName.get(name)?.manifestId
    for (const other of manifestId === undefined ? [] : (ix.refsByManifest.get(manifestId) ?? [])) {
      if (!chosen.has(other.reference)) otherTags.add(other.reference)
    }
  }
  const sandboxes = new Map(decision.kept.flatMap((k) => k.sandboxes).map((s) => [s.id, s]))
  const snapshots = new Set(decision.kept.flatMap((k) => k.snapshots))
  return { otherTags: [...otherTags], sandboxes: [...sandboxes.values()], snapshots: [...snapshots] }
}

/** The dangling prune's decision as the usage view shows it. */
export function danglingUsage(
  decision: RowDecision,
  state: CacheState,
  files: CacheFiles
): Pick<CacheUsage, 'dangling' | 'danglingBytes'> {
  const dangling = danglingItems(decision, state, files)
  return { dangling, danglingBytes: dangling.reduce((n, d) => n + d.bytes, 0) }
}

/**
 * A dangling prune's decision as items a person can look at: its manifests (with their fsmeta and vmdk
 * bytes), its layers (with their file's bytes) and its stray files, from the plan's own file list.
 */
export function danglingItems(decision: RowDecision, state: CacheState, files: CacheFiles): DanglingItem[] {
  const planned = filesOf(decision, state, files, undefined, false)
  const bytesOf = new Map<string, number>()
  for (const f of planned) bytesOf.set(f.path, f.bytes)
  const at = (dir: ContentDir, name: string | undefined | null) =>
    name ? (bytesOf.get(contentPath(dir, name)) ?? 0) : 0
  return [
    ...decision.manifests.map((m) => {
      const names = manifestFileNames(m.digest)
      return {
        kind: 'manifest' as const,
        name: m.digest,
        fileKind: null,
        bytes: at('fsmeta', names?.fsmeta) + at('vmdk', names?.vmdk)
      }
    }),
    ...decision.layers.map((l) => ({
      kind: 'layer' as const,
      name: l.diffId,
      fileKind: null,
      bytes: at('layers', layerFileName(l.diffId))
    })),
    ...decision.strays.map((f) => ({ kind: 'file' as const, name: f.path, fileKind: f.kind, bytes: f.bytes }))
  ]
}

/** Bytes of layer files more than one manifest uses. */
export function sharedLayerBytes(state: CacheState, ix: Indexes, files: CacheFiles): number {
  let bytes = 0
  for (const l of state.layers) if ((ix.layerUse.get(l.id) ?? 0) > 1) bytes += layerFileBytes(files, l.diffId) ?? 0
  return bytes
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
