// The whole msb home, every byte, as msb 0.7.7's `msb df --format json` counts it (sdk/rust/lib/storage/
// types.rs, usage.rs @dbc01e8f): the image cache and, beside it, what msb keeps for sandboxes, volumes,
// snapshots, guest memory, logs and its database, by msb's rules: regular files only, hard links once per
// category, symlinks and special files never followed (skipped and counted), allocated = st_blocks × 512,
// a missing managed root is empty and a missing object unknown (null), a symlinked managed root is refused.
// The explorer's own view of the same files, one area per thing a person can act on, is home-areas.ts.
// Nothing here deletes; the explorer deletes only in the image cache and flat artifacts.
import { isAbsolute, join, relative, sep } from 'node:path'
import type Database from 'better-sqlite3'
import type { MsbStorageCategory, MsbStorageItem, MsbStorageUsage } from '../../../shared/contract'
import type { Dirent } from 'node:fs'
import { CACHE_FOLDERS } from '../homes/cache-paths'
import { FileTree, newScan, type Scan, walk } from './home-scan'

/**
 * msb's `scan_scoped`: true when scanned, false when missing. The managed root must be a real directory
 * and every component below it too (a symlinked ancestor is an error, never followed).
 */
function scanScoped(path: string, managedRoot: string | null, scan: Scan, tree: FileTree): boolean {
  const root = managedRoot && (path === managedRoot || path.startsWith(managedRoot + sep)) ? managedRoot : path
  const st = tree.lstat(root)
  if (!st) return false
  if (!st.isDirectory()) throw new Error('storage root is not a regular directory')
  let current = root
  for (const part of relative(root, path).split(sep).filter(Boolean)) {
    if (part === '..') throw new Error('object path escapes its managed storage root')
    current = join(current, part)
    const c = tree.lstat(current)
    if (!c) return false
    if (!c.isDirectory()) throw new Error('Not a directory (os error 20)')
  }
  walk(current, scan, tree)
  return true
}

function itemScoped(
  name: string,
  path: string,
  reason: string,
  managedRoot: string | null,
  tree: FileTree
): MsbStorageItem {
  const item: MsbStorageItem = {
    name,
    path,
    logical_bytes: null,
    allocated_bytes: null,
    in_use: null,
    reclaimable: null,
    reasons: [reason]
  }
  const scan = newScan()
  try {
    if (scanScoped(path, managedRoot, scan, tree)) {
      item.logical_bytes = scan.logical
      item.allocated_bytes = scan.allocated
      if (scan.skipped > 0) item.reasons.push(`Skipped ${scan.skipped} symlink or special-file entries.`)
    } else item.reasons.push('Artifact directory is missing; stored bytes are unknown.')
  } catch (error) {
    item.reasons.push(`Storage observation incomplete: ${(error as Error).message}`)
  }
  return item
}

function category(
  count: number,
  roots: string[],
  items: MsbStorageItem[],
  managedRoot: string | null,
  tree: FileTree
): MsbStorageCategory {
  const selected: string[] = []
  for (const root of [...roots].sort()) {
    if (!selected.some((p) => root === p || root.startsWith(p + sep))) selected.push(root)
  }
  const out: MsbStorageCategory = {
    count,
    in_use: null,
    logical_bytes: null,
    allocated_bytes: null,
    reclaimable_logical_bytes: null,
    items,
    notes: []
  }
  const scan = newScan()
  for (const root of selected) {
    try {
      scanScoped(root, managedRoot, scan, tree)
    } catch (error) {
      out.notes.push(`Storage observation incomplete at ${root}: ${(error as Error).message}`)
    }
  }
  if (out.notes.length === 0) {
    out.logical_bytes = scan.logical
    out.allocated_bytes = scan.allocated
  }
  if (scan.skipped > 0)
    out.notes.push(`Skipped ${scan.skipped} symlink or special-file entries; their targets are excluded.`)
  return out
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
}

function columnsOf(db: Database.Database, table: string): Set<string> {
  return new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name))
}

export interface HomeRows {
  imageRefs: number
  sandboxes: string[]
  volumes: string[]
  snapshots: { id: string; artifactPath: string; childCount: number }[]
}

/** The rows msb's df reads (tables a home lacks count as empty). */
export function readHomeRows(db: Database.Database | null): HomeRows {
  if (!db) return { imageRefs: 0, sandboxes: [], volumes: [], snapshots: [] }
  const names = (table: string) =>
    hasTable(db, table)
      ? (db.prepare(`SELECT name FROM ${table} ORDER BY id`).all() as { name: string }[]).map((r) => r.name)
      : []
  const imageRefs = hasTable(db, 'image_ref')
    ? (db.prepare('SELECT COUNT(*) AS n FROM image_ref').get() as { n: number }).n
    : 0
  let snapshots: HomeRows['snapshots'] = []
  if (hasTable(db, 'snapshot_index')) {
    const cols = columnsOf(db, 'snapshot_index')
    const id = cols.has('snapshot_id') ? 'COALESCE(snapshot_id, digest)' : 'digest'
    const child = cols.has('child_count') ? 'child_count' : '0'
    snapshots = db
      .prepare(`SELECT ${id} AS id, artifact_path AS artifactPath, ${child} AS childCount FROM snapshot_index`)
      .all() as HomeRows['snapshots']
  }
  return { imageRefs, sandboxes: names('sandbox'), volumes: names('volume'), snapshots }
}

/** `.ram` files under `memory/<sub>/` (msb's published RAM backing files; locks and staging are not counted). */
function memoryCategory(memoryDir: string, sub: 'branches' | 'snapshots', tree: FileTree): MsbStorageCategory {
  const items: MsbStorageItem[] = []
  const visit = (dir: string, depth: number) => {
    let list: Dirent[]
    try {
      list = tree.readDir(dir)
    } catch {
      return
    }
    for (const d of list) {
      const full = join(dir, d.name)
      const st = tree.lstat(full)
      if (!st || st.isSymbolicLink()) continue
      if (st.isDirectory() && depth < 4) visit(full, depth + 1)
      else if (st.isFile() && d.name.endsWith('.ram')) {
        items.push({
          name: d.name,
          path: full,
          logical_bytes: st.size,
          allocated_bytes: st.blocks * 512,
          in_use: null,
          reclaimable: null,
          reasons: ['Ownership is observed by msb itself: `msb prune --dry-run` lists what it would remove.']
        })
      }
    }
  }
  visit(join(memoryDir, sub), 0)
  const sum = (f: (i: MsbStorageItem) => number | null) =>
    items.reduce<number | null>((n, i) => (n === null || f(i) === null ? null : n + (f(i) as number)), 0)
  return {
    count: items.length,
    in_use: items.length === 0 ? 0 : null,
    logical_bytes: sum((i) => i.logical_bytes),
    allocated_bytes: sum((i) => i.allocated_bytes),
    reclaimable_logical_bytes: items.length === 0 ? 0 : null,
    items,
    notes: ['Published .ram files only; stable lock files and staging entries are excluded.']
  }
}

export const MSB_DF_NOTES = [
  'Logical bytes sum regular-file lengths. Allocated bytes are per-file block observations, not unique physical usage or space deletion will free.',
  'Counts describe indexed objects; managed-directory totals also include unindexed files and metadata. Object sizes overlap shared data and are not additive.',
  'Bind mounts, logs outside managed object directories, unindexed external artifacts, and anonymous Linux RAM are excluded. Ownership observations can change after inspection.'
]

/** msb 0.7.7's `msb df --format json`, for this home. */
export function msbStorageUsage(
  home: string,
  cacheDir: string,
  rows: HomeRows,
  tree = new FileTree()
): MsbStorageUsage {
  const snapshotRoot = join(home, 'snapshots')
  const sandboxRoot = join(home, 'sandboxes')
  const volumeRoot = join(home, 'volumes')
  const components = ['layers', 'fsmeta', 'vmdk', CACHE_FOLDERS.flat, 'manifests', CACHE_FOLDERS.tmp]
  const imageItems = components.map((c) =>
    itemScoped(
      c,
      join(cacheDir, c),
      'Shared image-cache component; ownership and reclaimability are not measured.',
      cacheDir,
      tree
    )
  )
  const imageRoots = [...components, CACHE_FOLDERS.journals].map((c) => join(cacheDir, c))
  const snapshotItems = rows.snapshots.map((s) => {
    const item = itemScoped(
      s.id,
      s.artifactPath,
      'Durable snapshot; active readers and retention eligibility are unknown.',
      snapshotRoot,
      tree
    )
    if (s.childCount > 0) item.reasons.push(`${s.childCount} indexed child snapshot(s) retain historical ancestry.`)
    return item
  })
  const usage: MsbStorageUsage = {
    images: category(rows.imageRefs, imageRoots, imageItems, cacheDir, tree),
    snapshots: category(
      rows.snapshots.length,
      [snapshotRoot, ...rows.snapshots.map((s) => s.artifactPath).filter((p) => isAbsolute(p))],
      snapshotItems,
      snapshotRoot,
      tree
    ),
    sandboxes: category(
      rows.sandboxes.length,
      [sandboxRoot],
      rows.sandboxes.map((n) =>
        itemScoped(
          n,
          join(sandboxRoot, n),
          'Persisted sandbox data is retained, including stopped and crashed sandboxes. Bind-mounted host trees are excluded.',
          sandboxRoot,
          tree
        )
      ),
      sandboxRoot,
      tree
    ),
    volumes: category(
      rows.volumes.length,
      [volumeRoot],
      rows.volumes.map((n) =>
        itemScoped(
          n,
          join(volumeRoot, n),
          'Named-volume data is retained. Mount ownership is not measured.',
          volumeRoot,
          tree
        )
      ),
      volumeRoot,
      tree
    ),
    branch_memory: memoryCategory(join(cacheDir, CACHE_FOLDERS.memory), 'branches', tree),
    snapshot_memory: memoryCategory(join(cacheDir, CACHE_FOLDERS.memory), 'snapshots', tree),
    notes: [...MSB_DF_NOTES]
  }
  const roots = [cacheDir, snapshotRoot, sandboxRoot, volumeRoot]
  for (let l = 0; l < roots.length; l++) {
    for (let r = l + 1; r < roots.length; r++) {
      const [a, b] = [roots[l], roots[r]]
      if (a === b || a.startsWith(b + sep) || b.startsWith(a + sep)) {
        usage.notes.push(`Configured storage roots overlap (${a} and ${b}); category totals are not additive.`)
      }
    }
  }
  return usage
}
