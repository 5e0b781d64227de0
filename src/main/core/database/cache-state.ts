// One consistent read of everything remove and prune decide on: references, manifests, layers, and
// what pins a manifest (sandboxes and snapshots). Planners work on this plain snapshot, so a plan
// computed for a preview and the plan recomputed inside the write transaction use the same code.
import type Database from 'better-sqlite3'
import type { SandboxRef } from '../../../shared/contract'
import type { LineRules } from '../../../shared/msb-versions'
import { readLineRules } from './schema'

export interface RefRecord {
  id: number
  reference: string
  manifestId: number
  /** msb's `image_ref.updated_at` (its `lastUsedAt`), as stored; retention rules order by it. */
  updatedAt: string | null
}

export interface ManifestRecord {
  id: number
  digest: string
}

export interface LayerRecord {
  id: number
  diffId: string
}

export interface CacheState {
  refs: RefRecord[]
  manifests: ManifestRecord[]
  layers: LayerRecord[]
  /** manifest id → layer ids (bottom to top). */
  layersOf: Map<number, number[]>
  /** msb's pins: `sandbox_rootfs.manifest_id` → sandboxes (any status). */
  rootfsPins: Map<number, SandboxRef[]>
  /** Beyond msb: active sandboxes whose config names a manifest they have not pinned yet (start window). */
  startingPins: Map<string, SandboxRef[]>
  /** `snapshot_index.image_manifest_digest` → snapshot names (or digests). */
  snapshotPins: Map<string, string[]>
  /** How the msb line of this home cleans (src/shared/msb-versions.ts); absent: msb 0.6.18's and 0.7.2's way. */
  rules?: LineRules
}

// msb writes `sandbox_rootfs` only after the VM has started; until then a starting sandbox's config
// already names its manifest. These statuses mean the sandbox is (about to be) running.
const ACTIVE_STATUSES = new Set(['created', 'starting', 'running', 'draining', 'paused'])
const MANIFEST_DIGEST_IN_CONFIG = /"manifest_digest"\s*:\s*"(sha256:[a-f0-9]{64})"/g

export function readCacheState(db: Database.Database): CacheState {
  const refs = db
    .prepare('SELECT id, reference, manifest_id AS manifestId, updated_at AS updatedAt FROM image_ref ORDER BY id')
    .all() as RefRecord[]
  const manifests = db.prepare('SELECT id, digest FROM manifest ORDER BY id').all() as ManifestRecord[]
  const layers = db.prepare('SELECT id, diff_id AS diffId FROM layer ORDER BY id').all() as LayerRecord[]
  const layersOf = new Map<number, number[]>()
  const links = db
    .prepare('SELECT manifest_id AS m, layer_id AS l FROM manifest_layer ORDER BY manifest_id, position')
    .raw()
    .all() as [number, number][]
  for (const [m, l] of links) {
    const list = layersOf.get(m)
    if (list) list.push(l)
    else layersOf.set(m, [l])
  }
  return { refs, manifests, layers, layersOf, ...readPins(db), rules: readLineRules(db) }
}

export function readPins(db: Database.Database): Pick<CacheState, 'rootfsPins' | 'startingPins' | 'snapshotPins'> {
  const rootfsPins = new Map<number, SandboxRef[]>()
  const pinnedSandboxes = new Set<number>()
  if (hasTable(db, 'sandbox_rootfs')) {
    const rows = db
      .prepare(
        `SELECT sr.manifest_id AS manifestId, sr.sandbox_id AS id, s.name AS name, s.status AS status
         FROM sandbox_rootfs sr LEFT JOIN sandbox s ON s.id = sr.sandbox_id ORDER BY sr.id`
      )
      .all() as { manifestId: number | null; id: number; name: string | null; status: string | null }[]
    for (const r of rows) {
      pinnedSandboxes.add(r.id)
      if (r.manifestId === null) continue
      push(rootfsPins, r.manifestId, { id: r.id, name: r.name ?? `sandbox ${r.id}`, status: r.status ?? 'unknown' })
    }
  }
  const startingPins = new Map<string, SandboxRef[]>()
  if (hasTable(db, 'sandbox')) {
    const rows = db.prepare('SELECT id, name, status, config FROM sandbox').all() as {
      id: number
      name: string
      status: string
      config: string | null
    }[]
    for (const s of rows) {
      if (pinnedSandboxes.has(s.id) || !ACTIVE_STATUSES.has(String(s.status).toLowerCase()) || !s.config) continue
      for (const m of s.config.matchAll(MANIFEST_DIGEST_IN_CONFIG)) {
        push(startingPins, m[1], { id: s.id, name: s.name, status: s.status })
      }
    }
  }
  const snapshotPins = new Map<string, string[]>()
  if (hasTable(db, 'snapshot_index')) {
    // msb's prune keeps every manifest any snapshot_index row names, whatever its state, group or artifact,
    // on both schema lines. Named as msb 0.7's `snapshot ls` names them: `group:name`.
    const rows = db
      .prepare(`SELECT ${snapshotNameColumns(db)}, image_manifest_digest AS manifest FROM snapshot_index`)
      .all() as {
      digest: string
      name: string | null
      snapshotId: string | null
      groupName: string | null
      manifest: string
    }[]
    for (const r of rows) push(snapshotPins, r.manifest, snapshotLabel(r))
  }
  return { rootfsPins, startingPins, snapshotPins }
}

/** msb 0.7 (split_snapshot_identity, snapshot_groups) added `snapshot_id` and `group_name`; 0.6 has neither. */
function snapshotNameColumns(db: Database.Database): string {
  const columns = new Set(
    (db.prepare('PRAGMA table_info(snapshot_index)').all() as { name: string }[]).map((c) => c.name)
  )
  return [
    'digest',
    'name',
    columns.has('snapshot_id') ? 'snapshot_id AS snapshotId' : 'NULL AS snapshotId',
    columns.has('group_name') ? 'group_name AS groupName' : 'NULL AS groupName'
  ].join(', ')
}

function snapshotLabel(r: {
  digest: string
  name: string | null
  snapshotId: string | null
  groupName: string | null
}): string {
  const name = r.name ?? r.snapshotId ?? r.digest
  return r.groupName ? `${r.groupName}:${name}` : name
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const tableCache = new WeakMap<Database.Database, Set<string>>()
function hasTable(db: Database.Database, name: string): boolean {
  let tables = tableCache.get(db)
  if (!tables) {
    tables = new Set(
      (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name)
    )
    tableCache.set(db, tables)
  }
  return tables.has(name)
}

/** Everything that keeps a manifest: sandboxes (pinned or starting) and snapshots. */
export interface ManifestPins {
  sandboxes: SandboxRef[]
  snapshots: string[]
}

export function pinsOf(
  state: Pick<CacheState, 'rootfsPins' | 'startingPins' | 'snapshotPins'>,
  manifest: ManifestRecord
): ManifestPins {
  // Most manifests have no pin: no spread of two empty lists for those (usage asks for every manifest).
  const pinned = state.rootfsPins.get(manifest.id)
  const starting = state.startingPins.get(manifest.digest)
  const sandboxes = pinned ? (starting ? [...pinned, ...starting] : [...pinned]) : starting ? [...starting] : []
  return { sandboxes, snapshots: state.snapshotPins.get(manifest.digest) ?? [] }
}

export function isPinned(pins: ManifestPins): boolean {
  return pins.sandboxes.length > 0 || pins.snapshots.length > 0
}

/** `isPinned(pinsOf(state, manifest))` without building the lists (the pin maps hold no empty list). */
export function hasPins(
  state: Pick<CacheState, 'rootfsPins' | 'startingPins' | 'snapshotPins'>,
  manifest: ManifestRecord
): boolean {
  return hasSandboxPins(state, manifest) || state.snapshotPins.has(manifest.digest)
}

/** `pinsOf(state, manifest).sandboxes.length > 0` without building the list. */
export function hasSandboxPins(
  state: Pick<CacheState, 'rootfsPins' | 'startingPins'>,
  manifest: ManifestRecord
): boolean {
  return state.rootfsPins.has(manifest.id) || state.startingPins.has(manifest.digest)
}
