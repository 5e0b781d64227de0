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
import { createHash } from 'node:crypto'
import type { DeletionPlan, FileKind, KeptImage, KindTotal, PlannedFile, SandboxRef } from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import type { CacheFiles, ContentDir } from './cache-files'
import { type CacheState, isPinned, type ManifestRecord, pinsOf, type RefRecord } from './cache-state'
import { digestFileStem } from './digest'
import { compareBytes, imageNotFound } from './image-queries'
import { metadataKey } from './reference-key'

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
    for (const id of new Set(layerIds)) layerUse.set(id, (layerUse.get(id) ?? 0) + 1)
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
    const remaining = (ix.refsByManifest.get(m.id) ?? []).filter((r) => !removedRefIds.has(r.id))
    if (remaining.length > 0 || isPinned(pinsOf(state, m))) continue
    manifests.push(m)
  }
  const freed = new Map<number, number>()
  for (const m of manifests) {
    for (const id of new Set(state.layersOf.get(m.id) ?? [])) freed.set(id, (freed.get(id) ?? 0) + 1)
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
  const pins = pinsOf(state, manifest)
  if (pins.sandboxes.length > 0) return 'sandbox'
  if (pins.snapshots.length > 0) return 'snapshot'
  return null
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
  const inUse: { reference: string; sandboxes: SandboxRef[] }[] = []
  for (const name of new Set(references)) {
    const r = ix.refByName.get(name)
    if (!r) throw imageNotFound(name)
    refs.push(r)
    const m = ix.manifestById.get(r.manifestId)
    if (!m) continue
    const pins = pinsOf(state, m)
    if (pins.sandboxes.length > 0 && !force) inUse.push({ reference: name, sandboxes: pins.sandboxes })
    if (pins.sandboxes.length > 0) heldBy.push(...pins.sandboxes)
    if (isPinned(pins)) kept.push(keptFor(state, r, m, pins.sandboxes.length > 0 ? 'sandbox' : 'snapshot'))
  }
  if (inUse.length > 0) {
    const sandboxes = dedupeSandboxes(inUse.flatMap((u) => u.sandboxes))
    const refs = inUse.map((u) => u.reference)
    const what = refs.length === 1 ? `${refs[0]} is` : `${refs.join(', ')} are`
    const by = sandboxes.map((s) => `${s.name} (${s.status})`).join(', ')
    throw new CacheError('ImageInUse', `${what} in use by ${sandboxes.length === 1 ? 'sandbox' : 'sandboxes'} ${by}`, {
      images: inUse,
      sandboxes
    })
  }
  return cascade(state, ix, refs, uniqueManifests(refs, ix), kept, heldBy, 'from-removed')
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

// ---- Files ----

/** A file the plan deletes, with the lock files msb unlinks together with it (not counted). */
export interface FileTarget extends PlannedFile {
  locks: string[]
}

/** The files of a row decision, in msb's cleanup order: metadata, layers, then fsmeta and vmdk. */
export function filesOf(decision: RowDecision, state: CacheState, files: CacheFiles): FileTarget[] {
  const out: FileTarget[] = []
  const removedRefIds = new Set(decision.refs.map((r) => r.id))
  const keptKeys = new Set<string>()
  for (const r of state.refs) {
    if (removedRefIds.has(r.id)) continue
    const key = metadataKey(r.reference)
    if (key) keptKeys.add(key)
  }
  const add = (dir: ContentDir, name: string, kind: FileKind, locks: string[]) => {
    const entry = files.entry(dir, name)
    if (!entry) return
    out.push({ kind, path: `${dir}/${name}`, bytes: entry.isFile ? entry.bytes : 0, locks })
  }
  const seenKeys = new Set<string>()
  for (const r of decision.refs) {
    const key = metadataKey(r.reference)
    if (!key || keptKeys.has(key) || seenKeys.has(key)) continue
    seenKeys.add(key)
    add('manifests', `${key}.json`, 'metadata', [`manifests/${key}.lock`])
  }
  for (const l of decision.layers) {
    const stem = digestFileStem(l.diffId)
    if (!stem) continue
    add('layers', `${stem}.erofs`, 'layer', [`layers/${stem}.erofs.lock`])
  }
  for (const m of decision.manifests) {
    const stem = digestFileStem(m.digest)
    if (!stem) continue
    add('fsmeta', `${stem}.erofs`, 'fsmeta', [`fsmeta/${stem}.erofs.lock`])
    add('vmdk', `${stem}.vmdk`, 'vmdk', [`vmdk/${stem}.vmdk.lock`])
  }
  return out
}

/** The plan as the contract shows it. */
export function toDeletionPlan(decision: RowDecision, files: FileTarget[]): DeletionPlan {
  const all: PlannedFile[] = [...files].map(({ kind, path, bytes }) => ({ kind, path, bytes }))
  const byKind = new Map<FileKind, KindTotal>()
  for (const f of all) {
    const t = byKind.get(f.kind) ?? { kind: f.kind, files: 0, bytes: 0 }
    t.files += 1
    t.bytes += f.bytes
    byKind.set(f.kind, t)
  }
  return {
    references: decision.refs.map((r) => r.reference),
    manifests: decision.manifests.map((m) => m.digest),
    layers: decision.layers.map((l) => l.diffId),
    files: all,
    totalBytes: all.reduce((n, f) => n + f.bytes, 0),
    bytesByKind: [...byKind.values()],
    kept: decision.kept,
    fingerprint: fingerprintOf(decision)
  }
}

/** Identifies the rows a decision deletes; equal fingerprints mean the same deletion. */
export function fingerprintOf(decision: Pick<RowDecision, 'refs' | 'manifests' | 'layers' | 'strays'>): string {
  const h = createHash('sha256')
  for (const r of [...decision.refs].sort((a, b) => a.id - b.id)) h.update(`r${r.id}:${r.manifestId}:${r.reference}\n`)
  for (const m of [...decision.manifests].sort((a, b) => a.id - b.id)) h.update(`m${m.id}:${m.digest}\n`)
  for (const l of [...decision.layers].sort((a, b) => a.id - b.id)) h.update(`l${l.id}:${l.diffId}\n`)
  for (const s of decision.strays.map((f) => f.path).sort()) h.update(`f${s}\n`)
  return h.digest('hex').slice(0, 32)
}

/**
 * Limits a fresh decision to what an approved plan listed, so a confirmed preview never deletes more
 * than the user saw; what differs is described for the report. The executor re-checks every manifest
 * and layer before deleting it, so a manifest whose reference was held back here is never cascaded.
 */
export function restrictTo(
  fresh: RowDecision,
  approved: DeletionPlan,
  /** reference → manifest id when the plan was made: a reference msb has since moved is left alone. */
  approvedTargets?: ReadonlyMap<string, number>
): { decision: RowDecision; differences: string[] } {
  const differences: string[] = []
  const refs = new Set(approved.references)
  const manifests = new Set(approved.manifests)
  const layers = new Set(approved.layers)
  const strays = new Set(approved.files.map((f) => f.path))
  const keep = <T>(items: T[], allowed: Set<string>, key: (t: T) => string, what: string) =>
    items.filter((item) => {
      const k = key(item)
      if (allowed.has(k)) return true
      differences.push(`${what} ${k} was not in the preview; left in place`)
      return false
    })
  // A reference msb moved to another image since the preview (a retag keeps the row id) is not the
  // image the user agreed to delete.
  const moved = new Set(
    fresh.refs
      .filter(
        (r) =>
          refs.has(r.reference) &&
          approvedTargets?.has(r.reference) &&
          approvedTargets.get(r.reference) !== r.manifestId
      )
      .map((r) => r.reference)
  )
  for (const r of moved)
    differences.push(`reference ${r} now points at another image than the preview showed; left in place`)
  const decision: RowDecision = {
    ...fresh,
    refs: keep(
      fresh.refs.filter((r) => !moved.has(r.reference)),
      refs,
      (r) => r.reference,
      'reference'
    ),
    manifests: keep(fresh.manifests, manifests, (m) => m.digest, 'manifest'),
    layers: keep(fresh.layers, layers, (l) => l.diffId, 'layer'),
    strays: keep(fresh.strays, strays, (f) => f.path, 'file')
  }
  const freshRefs = new Set(fresh.refs.map((r) => r.reference))
  for (const r of approved.references) {
    if (!freshRefs.has(r)) {
      const why = fresh.kept.find((k) => k.reference === r)
      differences.push(
        why
          ? `reference ${r} is now in use (${why.reason}: ${[...why.sandboxes.map((s) => s.name), ...why.snapshots].join(', ')}); kept`
          : `reference ${r} is no longer there or no longer removable; kept`
      )
    }
  }
  const freshManifests = new Set(fresh.manifests.map((m) => m.digest))
  for (const m of approved.manifests) {
    if (!freshManifests.has(m)) differences.push(`manifest ${m} is now needed; kept`)
  }
  return { decision, differences }
}
