// What remove and prune would delete, decided on a plain `CacheState` so the same code makes the
// preview and the decision inside the write transaction.
//
// msb's rules (sdk/rust/lib/image/mod.rs) are followed where they are right:
//   - a manifest goes only with its last reference and only when nothing pins it;
//   - a layer row goes only when no remaining manifest uses it;
//   - prune's "unused" scope removes every reference whose manifest is not pinned (docker prune -a).
// and deliberately departed from where they lose data (see README, "How the explorer differs from msb"):
//   - force removal of a pinned image removes the reference but keeps the manifest for its sandbox
//     (msb fails with a foreign-key error);
//   - a metadata file `manifests/<key>.json` that another remaining reference normalises to is kept;
//   - a sandbox that is starting, or a snapshot, pins its manifest for remove as well as prune.
import type { KeptImage, PlannedFile, SandboxRef } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import {
  type CacheState,
  hasPins,
  hasSandboxPins,
  isPinned,
  type ManifestRecord,
  pinsOf,
  type RefRecord
} from '../database/cache-state'
import { compareBytes, imageNotFound } from '../database/image-queries'

/** The row-level decision; files are derived from it. */
export interface RowDecision {
  refs: RefRecord[]
  manifests: ManifestRecord[]
  layers: { id: number; diffId: string }[]
  kept: KeptImage[]
  heldBy: SandboxRef[]
  /** Stray files (dangling prune) by path relative to the cache dir. */
  strays: PlannedFile[]
}

export interface Indexes {
  manifestById: Map<number, ManifestRecord>
  refsByManifest: Map<number, RefRecord[]>
  refByName: Map<string, RefRecord>
  /** layer id → number of manifests that use it. */
  layerUse: Map<number, number>
  layerById: Map<number, { id: number; diffId: string }>
}

export function indexState(state: CacheState): Indexes {
  const manifestById = new Map(state.manifests.map((m) => [m.id, m]))
  const refsByManifest = new Map<number, RefRecord[]>()
  const refByName = new Map<string, RefRecord>()
  for (const r of state.refs) {
    refByName.set(r.reference, r)
    const list = refsByManifest.get(r.manifestId)
    if (list) list.push(r)
    else refsByManifest.set(r.manifestId, [r])
  }
  const layerUse = new Map<number, number>()
  for (const layerIds of state.layersOf.values()) {
    forEachDistinct(layerIds, (id) => layerUse.set(id, (layerUse.get(id) ?? 0) + 1))
  }
  return { manifestById, refsByManifest, refByName, layerUse, layerById: new Map(state.layers.map((l) => [l.id, l])) }
}

/**
 * Given the references to delete, the manifests that then go (unpinned, no reference left) and the
 * layers no remaining manifest uses. `candidates` limits which manifests may go (msb's prune also
 * collects manifests that were already without references).
 */
function cascade(
  state: CacheState,
  ix: Indexes,
  refs: RefRecord[],
  candidates: Iterable<ManifestRecord>,
  kept: KeptImage[],
  heldBy: SandboxRef[],
  orphanLayers: 'all' | 'from-removed'
): RowDecision {
  const removedRefIds = new Set(refs.map((r) => r.id))
  const manifests: ManifestRecord[] = []
  for (const m of candidates) {
    const remaining = ix.refsByManifest.get(m.id)?.some((r) => !removedRefIds.has(r.id)) ?? false
    if (remaining || hasPins(state, m)) continue
    manifests.push(m)
  }
  const freed = new Map<number, number>()
  for (const m of manifests) {
    forEachDistinct(state.layersOf.get(m.id), (id) => freed.set(id, (freed.get(id) ?? 0) + 1))
  }
  const layers: { id: number; diffId: string }[] = []
  for (const l of state.layers) {
    const use = ix.layerUse.get(l.id) ?? 0
    const left = use - (freed.get(l.id) ?? 0)
    if (left > 0) continue
    if (orphanLayers === 'from-removed' && !freed.has(l.id)) continue
    layers.push(l)
  }
  // msb deletes layer files in byte order of their diff ids.
  layers.sort((a, b) => compareBytes(a.diffId, b.diffId))
  return { refs, manifests, layers, kept, heldBy: dedupeSandboxes(heldBy), strays: [] }
}

function keptFor(state: CacheState, ref: RefRecord, manifest: ManifestRecord, reason: KeptImage['reason']): KeptImage {
  const pins = pinsOf(state, manifest)
  return {
    reference: ref.reference,
    manifestDigest: manifest.digest,
    reason,
    sandboxes: pins.sandboxes,
    snapshots: pins.snapshots
  }
}

function pinReason(state: CacheState, manifest: ManifestRecord): KeptImage['reason'] | null {
  if (hasSandboxPins(state, manifest)) return 'sandbox'
  if (state.snapshotPins.has(manifest.digest)) return 'snapshot'
  return null
}

/**
 * Calls `visit` once per distinct id of `ids` (a manifest's layer list, which may name a layer twice),
 * without building a Set for each of thousands of short lists.
 */
export function forEachDistinct(ids: readonly number[] | undefined, visit: (id: number) => void): void {
  if (!ids) return
  for (let i = 0; i < ids.length; i++) {
    if (ids.indexOf(ids[i]) === i) visit(ids[i])
  }
}

/** msb's prune: every reference whose manifest no sandbox or snapshot pins. */
export function decidePruneUnused(state: CacheState, ix = indexState(state)): RowDecision {
  const refs: RefRecord[] = []
  const kept: KeptImage[] = []
  for (const r of state.refs) {
    const m = ix.manifestById.get(r.manifestId)
    if (!m) continue
    const reason = pinReason(state, m)
    if (reason) kept.push(keptFor(state, r, m, reason))
    else refs.push(r)
  }
  return cascade(state, ix, refs, state.manifests, kept, [], 'all')
}

/** Only what nothing refers to: manifests without references, orphaned layers, stray files. */
export function decidePruneDangling(state: CacheState, ix = indexState(state)): RowDecision {
  const candidates = state.manifests.filter((m) => (ix.refsByManifest.get(m.id) ?? []).length === 0)
  const kept: KeptImage[] = []
  for (const m of candidates) {
    const reason = pinReason(state, m)
    if (reason) kept.push({ reference: '', manifestDigest: m.digest, reason, ...pinsOf(state, m) })
  }
  return cascade(state, ix, [], candidates, kept, [], 'all')
}

/** A chosen set of references; pinned ones are kept (never forced). */
export function decidePruneImages(state: CacheState, references: string[], ix = indexState(state)): RowDecision {
  const refs: RefRecord[] = []
  const kept: KeptImage[] = []
  for (const name of new Set(references)) {
    const r = ix.refByName.get(name)
    if (!r) throw imageNotFound(name)
    const m = ix.manifestById.get(r.manifestId)
    if (!m) continue
    const reason = pinReason(state, m)
    if (reason) kept.push(keptFor(state, r, m, reason))
    else refs.push(r)
  }
  const candidates = uniqueManifests(refs, ix)
  return cascade(state, ix, refs, candidates, kept, [], 'from-removed')
}

/**
 * Removal of references. Without force, any reference whose manifest a sandbox uses fails the whole
 * call with `ImageInUse` (msb's rule: even when other references remain). With force the reference goes
 * and the manifest stays, held by the sandbox, until the sandbox is gone and a prune reclaims it.
 */
export function decideRemove(
  state: CacheState,
  references: string[],
  force: boolean,
  ix = indexState(state)
): RowDecision {
  const refs: RefRecord[] = []
  const kept: KeptImage[] = []
  const heldBy: SandboxRef[] = []
  const inUse: { reference: string; sandboxes: SandboxRef[]; snapshots: string[] }[] = []
  for (const name of new Set(references)) {
    const r = ix.refByName.get(name)
    if (!r) throw imageNotFound(name)
    refs.push(r)
    const m = ix.manifestById.get(r.manifestId)
    if (!m) continue
    const pins = pinsOf(state, m)
    // msb 0.7.3+ refuses a snapshot's image as it refuses a sandbox's ("sandbox or snapshot dependency",
    // sdk/rust/lib/image/cleanup.rs @3129f858); 0.6.18 and 0.7.2 check only sandbox_rootfs.
    const blocks = state.rules?.cleanupOf073 ? isPinned(pins) : pins.sandboxes.length > 0
    if (blocks && !force) inUse.push({ reference: name, sandboxes: pins.sandboxes, snapshots: pins.snapshots })
    if (pins.sandboxes.length > 0) heldBy.push(...pins.sandboxes)
    if (isPinned(pins)) kept.push(keptFor(state, r, m, pins.sandboxes.length > 0 ? 'sandbox' : 'snapshot'))
  }
  if (inUse.length > 0) {
    const sandboxes = dedupeSandboxes(inUse.flatMap((u) => u.sandboxes))
    const snapshots = [...new Set(inUse.flatMap((u) => u.snapshots))]
    const refs = inUse.map((u) => u.reference)
    const what = refs.length === 1 ? `${refs[0]} is` : `${refs.join(', ')} are`
    const by = sandboxes.map((s) => `${s.name} (${s.status})`).join(', ')
    const users = [
      ...(sandboxes.length > 0 ? [`${sandboxes.length === 1 ? 'sandbox' : 'sandboxes'} ${by}`] : []),
      ...(state.rules?.cleanupOf073 && snapshots.length > 0
        ? [`${snapshots.length === 1 ? 'snapshot' : 'snapshots'} ${snapshots.join(', ')}`]
        : [])
    ]
    const why = state.rules?.cleanupOf073 ? ' (sandbox or snapshot dependency; --force only untags it)' : ''
    throw new CacheError('ImageInUse', `${what} in use by ${users.join(' and ')}${why}`, {
      images: inUse.map(({ reference, sandboxes }) => ({ reference, sandboxes })),
      sandboxes
    })
  }
  return cascade(state, ix, refs, uniqueManifests(refs, ix), kept, heldBy, 'from-removed')
}

/** What a removal froze at its start: the manifests its references named and their layers (msb's scope). */
export interface RemovalScope {
  manifestIds: Set<number>
  layerIds: Set<number>
}

export function scopeOf(state: CacheState, references: string[], ix = indexState(state)): RemovalScope {
  const manifestIds = new Set<number>()
  const layerIds = new Set<number>()
  for (const name of references) {
    const r = ix.refByName.get(name)
    if (!r) continue
    manifestIds.add(r.manifestId)
    for (const id of state.layersOf.get(r.manifestId) ?? []) layerIds.add(id)
  }
  return { manifestIds, layerIds }
}

/**
 * A later batch of a removal (leases come 48 at a time): the named references still there, and what of the
 * frozen scope nothing holds any more, as msb's later batches decide it (sdk/rust/lib/image/cleanup.rs
 * @3129f858: `selected_manifests`, `selected_layers`).
 */
export function decideRemoveContinued(
  state: CacheState,
  references: string[],
  force: boolean,
  scope: RemovalScope,
  ix = indexState(state)
): RowDecision {
  const present = references.filter((n) => ix.refByName.has(n))
  const base = present.length > 0 ? decideRemove(state, present, force, ix) : null
  const refs = base?.refs ?? []
  const candidates = state.manifests.filter((m) => scope.manifestIds.has(m.id))
  const next = cascade(state, ix, refs, candidates, base?.kept ?? [], base?.heldBy ?? [], 'all')
  return { ...next, layers: next.layers.filter((l) => scope.layerIds.has(l.id)) }
}

function uniqueManifests(refs: RefRecord[], ix: Indexes): ManifestRecord[] {
  const seen = new Map<number, ManifestRecord>()
  for (const r of refs) {
    const m = ix.manifestById.get(r.manifestId)
    if (m) seen.set(m.id, m)
  }
  return [...seen.values()].sort((a, b) => a.id - b.id)
}

function dedupeSandboxes(list: SandboxRef[]): SandboxRef[] {
  return [...new Map(list.map((s) => [s.id, s])).values()]
}
