// The files a row decision deletes, in msb's cleanup order, and the plan as the contract shows it, with
// the fingerprint a confirmation names.
import { createHash } from 'node:crypto'
import type { DeletionPlan, FileKind, KeptFile, KindTotal, PlannedFile } from '../../../shared/contract'
import type { CacheFiles } from '../files/cache-files'
import { type ContentDir, contentPath } from '../homes/cache-paths'
import { type CacheState, hasPins } from '../database/cache-state'
import type { RowDecision } from './deletion-plan'
import { layerFileName, manifestFileNames, metadataName } from '../homes/file-names'
import { parseReference } from '../homes/reference-key'

/** A file the plan deletes, with the lock files msb unlinks together with it (not counted). */
export interface FileTarget extends PlannedFile {
  locks: string[]
  /** The file is missing but its lock file is not: only the lock goes, as msb unlinks it regardless. */
  lockOnly?: boolean
  /** A metadata file's references' last name component (DoomedFile.sharedBy). */
  sharedBy?: string[]
}

/** The files of a row decision, in msb's cleanup order: metadata, layers, then fsmeta and vmdk. */
/**
 * Whether a metadata record is still some other reference's, when the caller keeps that count itself
 * (a batched write: the state it decided on is older than its own earlier batches' deletions).
 */
export interface RecordOwners {
  kept: (record: string) => boolean
  manifestById: ReadonlyMap<number, CacheState['manifests'][number]>
}

export function filesOf(
  decision: RowDecision,
  state: CacheState,
  files: CacheFiles,
  owners?: RecordOwners,
  /**
   * false for a preview, which never unlinks: its targets name no lock files (`locks` empty), which
   * spares a path and a list per file (~28,000 in a prune of everything). Which files only a lock
   * stands for (`lockOnly`) is the same either way.
   */
  withLocks = true
): FileTarget[] {
  const out: FileTarget[] = []
  // On a msb 0.7.3+ home lock files are stable inodes other msb processes lock: none is ever deleted
  // (test `concurrent_pruners_preserve_stable_lock_files`, sdk/rust/lib/image/cleanup.rs @3129f858).
  const keepLocks = state.rules?.keepLockFiles ?? false
  // No spread of a hint object per file: a prune of everything plans ~28,000 of them.
  const add = (dir: ContentDir, name: string, kind: FileKind, sharedBy?: string[]) => {
    const entry = files.entry(dir, name)
    // The lock file msb unlinks with the file is named whether or not it exists: most were never made, and
    // asking here would be an lstat each inside the write's transaction (writes size files one by one).
    const locks = keepLocks || !withLocks ? [] : [contentPath(dir, lockOf(dir, name))]
    let target: FileTarget
    if (entry) target = { kind, path: contentPath(dir, name), bytes: entry.isFile ? entry.bytes : 0, locks }
    else if (!keepLocks && files.entry(dir, lockOf(dir, name)))
      target = { kind, path: contentPath(dir, name), bytes: 0, locks, lockOnly: true }
    else return
    if (sharedBy) target.sharedBy = sharedBy
    out.push(target)
  }
  forEachPlannedName(decision, state, add, owners)
  return out
}

/**
 * `filesOf(…)` summed: the bytes of the files a decision deletes, without a list of ~28,000 targets
 * for a prune of everything (a missing file, or one only a lock stands for, counts 0 there too).
 */
export function plannedBytes(decision: RowDecision, state: CacheState, files: CacheFiles): number {
  let bytes = 0
  forEachPlannedName(decision, state, (dir, name) => {
    const entry = files.entry(dir, name)
    if (entry?.isFile) bytes += entry.bytes
  })
  return bytes
}

/** The lock file msb keeps beside `<dir>/<name>` (metadata `<key>.json` has `<key>.lock`). */
function lockOf(dir: ContentDir, name: string): string {
  return dir === 'manifests' ? `${name.slice(0, -'.json'.length)}.lock` : `${name}.lock`
}

const FEW_REFERENCES = 100

/** Each file a decision deletes, by directory and name, in msb's cleanup order. */
function forEachPlannedName(
  decision: RowDecision,
  state: CacheState,
  visit: (dir: ContentDir, name: string, kind: FileKind, sharedBy?: string[]) => void,
  owners?: RecordOwners
): void {
  const removedRefIds = new Set(decision.refs.map((r) => r.id))
  const keptRecords = new Set<string>()
  const kept = (record: string) => keptRecords.has(record) || (owners?.kept(record) ?? false)
  // Only a reference that names the same repository can share a metadata file; normalising adds a
  // registry, `library/` and a tag, never changes the last name component, so a string test on it
  // finds every candidate without hashing the whole cache (a removal of one image used to hash all).
  // A large decision (a prune) checks every kept reference instead: its names would cost more to test.
  const names = decision.refs.length <= FEW_REFERENCES ? lastNameComponents(decision.refs) : null
  for (const r of owners ? [] : state.refs) {
    if (removedRefIds.has(r.id) || (names !== null && !names.some((n) => r.reference.includes(n)))) continue
    const record = metadataName(r.reference)
    if (record) keptRecords.add(record)
  }
  // msb 0.7.3+ untags a pinned image but keeps its metadata JSON: "Snapshot export still reads the cached
  // config by its original reference" (sdk/rust/lib/image/cleanup.rs @3129f858, retained_paths).
  if (state.rules?.cleanupOf073) {
    const manifestById = owners?.manifestById ?? new Map(state.manifests.map((m) => [m.id, m]))
    for (const r of decision.refs) {
      const m = manifestById.get(r.manifestId)
      const record = m && hasPins(state, m) ? metadataName(r.reference) : null
      if (record) keptRecords.add(record)
    }
  }
  const seenRecords = new Set<string>()
  for (const r of decision.refs) {
    const record = metadataName(r.reference)
    if (!record || kept(record) || seenRecords.has(record)) continue
    seenRecords.add(record)
    visit('manifests', record, 'metadata', names ? (lastNameComponents([r]) ?? undefined) : undefined)
  }
  for (const l of decision.layers) {
    const name = layerFileName(l.diffId)
    if (name) visit('layers', name, 'layer')
  }
  for (const m of decision.manifests) {
    const names = manifestFileNames(m.digest)
    if (!names) continue
    visit('fsmeta', names.fsmeta, 'fsmeta')
    visit('vmdk', names.vmdk, 'vmdk')
  }
}

/** The plan as the contract shows it. */
export function toDeletionPlan(
  decision: RowDecision,
  files: FileTarget[],
  keptFiles: KeptFile[] = [],
  notes: string[] = []
): DeletionPlan {
  const all: PlannedFile[] = []
  const byKind = new Map<FileKind, KindTotal>()
  for (const { kind, path, bytes, lockOnly } of files) {
    if (lockOnly) continue
    all.push({ kind, path, bytes })
    let t = byKind.get(kind)
    if (!t) byKind.set(kind, (t = { kind, files: 0, bytes: 0 }))
    t.files += 1
    t.bytes += bytes
  }
  return {
    references: decision.refs.map((r) => r.reference),
    manifests: decision.manifests.map((m) => m.digest),
    layers: decision.layers.map((l) => l.diffId),
    files: all,
    totalBytes: all.reduce((n, f) => n + f.bytes, 0),
    bytesByKind: [...byKind.values()],
    kept: decision.kept,
    keptFiles,
    notes,
    fingerprint: fingerprintOf(decision)
  }
}

/** Identifies the rows a decision deletes; equal fingerprints mean the same deletion. */
export function fingerprintOf(decision: Pick<RowDecision, 'refs' | 'manifests' | 'layers' | 'strays'>): string {
  // One text hashed once (the same bytes as a line per update): ~20,000 updates cost more than the hash.
  const lines: string[] = []
  for (const r of [...decision.refs].sort((a, b) => a.id - b.id))
    lines.push(`r${r.id}:${r.manifestId}:${r.reference}\n`)
  for (const m of [...decision.manifests].sort((a, b) => a.id - b.id)) lines.push(`m${m.id}:${m.digest}\n`)
  for (const l of [...decision.layers].sort((a, b) => a.id - b.id)) lines.push(`l${l.id}:${l.diffId}\n`)
  for (const s of decision.strays.map((f) => f.path).sort()) lines.push(`f${s}\n`)
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 32)
}

/**
 * The last component of each reference's repository (`ghcr.io/acme/tool:1` → `tool`), or null when a
 * reference does not parse (then every kept reference is checked).
 */
function lastNameComponents(refs: { reference: string }[]): string[] | null {
  const out = new Set<string>()
  for (const r of refs) {
    const parsed = parseReference(r.reference)
    if (!parsed) return null
    out.add(parsed.repository.slice(parsed.repository.lastIndexOf('/') + 1))
  }
  return [...out]
}
