// `usage` and `insight`: what the cache and one image cost on disk, measured from the files and read
// from one database snapshot, with the shared and reclaimable sums the usage view shows.
import type { CacheUsage, HeldData, ImageInsight, ImageUsage, SelectionUsage } from '../../../shared/contract'
import type Database from 'better-sqlite3'
import type { CacheFiles, ListedFolders } from '../files/cache-files'
import { type CacheState, readCacheState } from '../database/cache-state'
import { decidePruneUnused, type Indexes, indexState, type RowDecision } from '../planning/deletion-plan'
import { classifyFlat, flatBytesByManifest, scanFlat } from '../files/flat-artifacts'
import type { CacheLocation } from '../homes/home'
import { homeAreas } from './home-areas'
import { FileTree, fileEntriesOf } from './home-scan'
import type { Listing, ListingKeep } from './listing-store'
import { ListingPrefetch } from './listing-prefetch'
import type { KeptFolderListings } from './kept-folder-listings'
import { CONTENT_DIRS, type ContentDir } from '../homes/cache-paths'
import { LEASE_FOLDER } from '../locks/storage-lease'
import { join } from 'node:path'
import { toHandle } from '../database/image-queries'
import { msbStorageUsage, readHomeRows } from './home-usage'
import type { Planner } from '../planning/planner'
import type { OpenReadSide, ReadSide } from '../database/read-side'
import {
  danglingUsage,
  imageUsages,
  layerUsages,
  manifestCost,
  NOTHING_STAYS,
  selectionUsage,
  sharedLayerBytes
} from './usage'

/** The flat artifacts of this state, each tied to its image (flat-artifacts.ts). */
export function flatOf(state: CacheState, ix: Indexes, cacheDir: string, removing: ReadonlySet<string> = new Set()) {
  const referencesOf = new Map<string, string[]>()
  for (const m of state.manifests)
    referencesOf.set(
      m.digest,
      (ix.refsByManifest.get(m.id) ?? []).map((r) => r.reference)
    )
  return classifyFlat(scanFlat(cacheDir), {
    manifests: new Set(state.manifests.map((m) => m.digest)),
    referenced: new Set(
      state.manifests.filter((m) => (ix.refsByManifest.get(m.id) ?? []).length > 0).map((m) => m.digest)
    ),
    removing,
    starting: new Set(state.startingPins.keys()),
    referencesOf
  })
}

function withFlat(images: ImageUsage[], flat: ReturnType<typeof flatOf>): ImageUsage[] {
  const by = flatBytesByManifest(flat)
  return images.map((u) => {
    const f = u.manifestDigest ? by.get(u.manifestDigest) : undefined
    return { ...u, flatBytes: f?.logical ?? 0, flatAllocatedBytes: f?.allocated ?? 0 }
  })
}

/** Manifests no reference names that a sandbox or snapshot still holds, with their own bytes. */
function heldData(state: CacheState, ix: Indexes, files: CacheFiles): HeldData[] {
  const out: HeldData[] = []
  for (const m of state.manifests) {
    if ((ix.refsByManifest.get(m.id) ?? []).length > 0) continue
    const sandboxes = state.rootfsPins.get(m.id) ?? []
    const snapshots = state.snapshotPins.get(m.digest) ?? []
    if (sandboxes.length === 0 && snapshots.length === 0) continue
    out.push({
      manifestDigest: m.digest,
      sandboxes,
      snapshots,
      bytes: manifestCost(state, ix, files, m.id).uniqueBytes
    })
  }
  return out
}

/** The whole home: the explorer's areas (home-areas.ts) and msb's `df` (home-usage.ts). */
function homeUsageOf(
  location: CacheLocation,
  db: Database.Database | null,
  prefetch: ListingPrefetch | null = null
): CacheUsage['home'] {
  // One tree for both views: each directory read and each path lstat-ed once (home-scan.ts).
  const tree = new FileTree(prefetch, lockFolders(location.cacheDir))
  const areas = homeAreas(location.home, location.cacheDir, location.dbPath, tree)
  return {
    areas,
    logicalBytes: areas.reduce((n, a) => n + a.logicalBytes, 0),
    allocatedBytes: areas.reduce((n, a) => n + a.allocatedBytes, 0),
    msb: msbStorageUsage(location.home, location.cacheDir, readHomeRows(db), tree)
  }
}

export function imageInsight(reads: ReadSide, files: CacheFiles, reference: string): ImageInsight {
  const side = reads.getOrNotFound(reference)
  return reads.guard(() =>
    files.within(
      side.db.transaction(() => {
        const { row, detail } = side.queries.inspect(reference)
        const state = readCacheState(side.db)
        const ix = indexState(state)
        const [usage] = withFlat(imageUsages(state, ix, files, [reference]), flatOf(state, ix, files.cacheDir))
        const m = row.manifestId
        const layers = m === null ? [] : layerUsages(state, ix, files, m, detail.layers)
        const stem = row.digest?.replace(':', '_')
        return {
          detail,
          usage,
          layers,
          fsmetaBytes: stem ? files.sizeOf('fsmeta', `${stem}.erofs`) : null,
          vmdkBytes: stem ? files.sizeOf('vmdk', `${stem}.vmdk`) : null
        }
      })
    )
  )
}

/** The usage, and whether it came from a database (only then is it worth remembering). */
export function cacheUsage(
  reads: ReadSide,
  files: CacheFiles,
  planner: Planner,
  location: CacheLocation,
  /** Told how many files have been measured so far (CacheFiles.within). */
  onMeasured?: (filesMeasured: number) => void,
  /** Where each image's figures may be kept (listing-store.ts); made before the rows are read. */
  keep: ListingKeep | null = null,
  /** Where the content folders' listings are kept (kept-folder-listings.ts). */
  keptFolders: KeptFolderListings | null = null
): { usage: CacheUsage; fromDatabase: boolean } {
  // The content folders' listings for the whole-home view (and the sizes of a folder that changed) start
  // on a helper thread now (but for those kept unchanged), while the rest is read and worked out here.
  const prefetch = prefetchFolders(location, keptFolders)
  // One view of the files for the whole computation (see CacheFiles.within).
  return files.within(
    () => {
      const side = reads.get()
      if (!side) {
        const totals = files.totals()
        const flat = classifyFlat(scanFlat(location.cacheDir), { manifests: new Set(), removing: new Set() })
        const usage: CacheUsage = {
          images: [],
          totals,
          totalBytes: totals.reduce((n, t) => n + t.bytes, 0),
          sharedLayerBytes: 0,
          reclaimableBytes: 0,
          danglingBytes: 0,
          dangling: [],
          flat,
          flatUnusedBytes: flat.reduce((n, a) => n + a.reclaimLogicalBytes, 0),
          flatUnusedAllocatedBytes: flat.reduce((n, a) => n + a.reclaimAllocatedBytes, 0),
          held: [],
          home: homeUsageOf(location, null, prefetch)
        }
        return { usage, fromDatabase: false }
      }
      const usage = reads.guard(() =>
        side.db.transaction(() => usageOf(side, files, planner, location, keep, prefetch))()
      )
      return { usage, fromDatabase: true }
    },
    onMeasured,
    listedFolders(prefetch, location.cacheDir)
  )
}

/** The content folders, as the whole-home walk reaches them. */
function contentFolders(cacheDir: string): string[] {
  return Object.keys(CONTENT_DIRS).map((dir) => join(cacheDir, dir))
}

/** The content folders and their lease folders: their `*.lock` files are msb's empty lock files (home-scan.ts). */
function lockFolders(cacheDir: string): Set<string> {
  return new Set(contentFolders(cacheDir).flatMap((folder) => [folder, join(folder, LEASE_FOLDER)]))
}

/** The content folders listed on a helper thread from now on (listing-prefetch.ts); null without one. */
function prefetchFolders(location: CacheLocation, kept: KeptFolderListings | null): ListingPrefetch | null {
  return ListingPrefetch.start(contentFolders(location.cacheDir), kept)
}

/** The helper's listings as the stored sizes take them: only a listing that is the folder now (cache-files.ts). */
function listedFolders(prefetch: ListingPrefetch | null, cacheDir: string): ListedFolders | null {
  if (!prefetch) return null
  return {
    entriesOf: (dir: ContentDir) => {
      const listing = prefetch.current(join(cacheDir, dir))
      return listing ? fileEntriesOf(listing) : null
    }
  }
}

function usageOf(
  side: OpenReadSide,
  files: CacheFiles,
  planner: Planner,
  location: CacheLocation,
  keep: ListingKeep | null,
  prefetch: ListingPrefetch | null
): CacheUsage {
  const references = side.queries.listReferences()
  const state = readCacheState(side.db)
  const ix = indexState(state)
  // After the rows: a folder that changed is being listed on the helper meanwhile.
  const totals = files.totals()
  const totalBytes = totals.reduce((n, t) => n + t.bytes, 0)
  // Both prune figures ask which files unowned image records claim: read once, from the scan.
  const claimed = planner.claims(state)
  const flat = flatOf(state, ix, location.cacheDir)
  return {
    images: withFlat(keptImageUsages(keep, state, ix, files, references), flat),
    totals,
    totalBytes,
    sharedLayerBytes: sharedLayerBytes(state, ix, files),
    reclaimableBytes: planner.planBytes(state, decidePruneUnused(state, ix), claimed),
    ...danglingUsage(planner.dangling(state, ix, claimed), state, files),
    flat,
    flatUnusedBytes: flat.reduce((n, a) => n + a.reclaimLogicalBytes, 0),
    flatUnusedAllocatedBytes: flat.reduce((n, a) => n + a.reclaimAllocatedBytes, 0),
    held: heldData(state, ix, files),
    home: homeUsageOf(location, side.db, prefetch)
  }
}

/**
 * The images and each one's own figures (unique, shared and freed bytes, missing files, who uses it),
 * read in one transaction: exactly `cacheUsage(…).images` without their flat bytes (left 0) and without
 * the rest of the usage (totals, prune figures, flat artifacts, the whole home), what a list of images
 * prints beside each row. The figures come from `keep` when it holds them for exactly these rows
 * (listing-store.ts), and are kept there otherwise.
 */
export function listing(
  reads: ReadSide,
  files: CacheFiles,
  keep: ListingKeep | null,
  location: CacheLocation,
  keptFolders: KeptFolderListings | null = null
): Listing {
  const side = reads.get()
  if (!side) return { images: [], usages: [] }
  // Folders that changed are listed on the helper while the rows are read: the figures, unless kept, need
  // their files' sizes (nothing is listed, or read, for folders whose listing is kept).
  const prefetch = prefetchFolders(location, keptFolders)
  return reads.guard(() =>
    files.within(
      side.db.transaction(() => {
        const state = readCacheState(side.db)
        const rows = side.queries.listRows()
        const references = rows.map((r) => r.reference)
        const images = rows.map((row) => toHandle(row))
        return { images, usages: keptImageUsages(keep, state, null, files, references) }
      }),
      undefined,
      listedFolders(prefetch, location.cacheDir)
    )
  )
}

/** imageUsages, from `keep` when it holds them for exactly these rows (listing-store.ts); kept there otherwise. */
function keptImageUsages(
  keep: ListingKeep | null,
  state: CacheState,
  ix: Indexes | null,
  files: CacheFiles,
  references: string[]
): ImageUsage[] {
  const key = keep?.keyOf(state, references) ?? null
  const kept = key === null ? null : (keep?.load(key) ?? null)
  if (kept) return kept
  const usages = imageUsages(state, ix ?? indexState(state), files, references)
  if (key !== null) keep?.save(key, usages)
  return usages
}

/** What removing `references` together frees (see usage.ts, selectionUsage). */
export function selectionUsageOf(
  reads: ReadSide,
  files: CacheFiles,
  planner: Planner,
  references: string[]
): SelectionUsage {
  const side = reads.get()
  if (!side) return { freedBytes: 0, inUse: [], missing: [...new Set(references)], dataStays: NOTHING_STAYS }
  return reads.guard(() =>
    files.within(
      side.db.transaction(() => {
        const state = readCacheState(side.db)
        // Asked only when some reference is present (then the plan's files are scanned anyway).
        const bytesOf = (d: RowDecision) => planner.planBytes(state, d, planner.claims(state))
        return selectionUsage(state, indexState(state), references, bytesOf)
      })
    )
  )
}
