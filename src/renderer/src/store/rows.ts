// The table's row type, derived from the contract in this one place (STYLE: keep API types and view
// types apart): `list` gives the handles, `usage` the measured bytes and pins, joined by reference.
// Filtering, search and sorting are pure functions here so the store can keep the visible order and
// keyboard moves, Delete and the treemap all agree on it.
//
// At 10,000 rows the expensive parts are done once per load, not per keystroke or comparison:
// `joinRows` derives each row's sort keys (lower-cased reference, timestamps in ms, the in-use rank);
// each row's lower-cased search text is built once, in idle time after the first paint (`prepareSearch`)
// or on the first search that needs it; `sortRows` sorts on the keys and keeps each sorted order for
// the life of the rows array; `visibleRows` filters an already-sorted order (filtering keeps the order,
// so a keystroke never sorts).
import type { BuildDate, CacheUsage, ImageHandle, ImageUse, ImageUsage, SandboxRef } from '../../../shared/contract'
import { splitReference, type ReferenceParts } from '../../../shared/reference'

export interface ImageRow {
  reference: string
  parts: ReferenceParts
  digest: string | null
  sizeBytes: number | null
  /** Whether disk usage has been measured for this load; until then the byte columns say "measuring". */
  measured: boolean
  /** null until usage is known for this reference. */
  uniqueBytes: number | null
  sharedBytes: number | null
  /** Its flat rootfs artifact's bytes on disk (st_blocks × 512); null until usage is known. */
  flatBytes: number | null
  /** What removing this reference alone frees (the remove plan's total); null until usage is known. */
  freedBytes: number | null
  layerCount: number
  /** "linux/amd64", or null when msb recorded neither. */
  platform: string | null
  /** When msb pulled or loaded the reference (msb's `created_at`): the table's "Pulled". */
  createdAt: string | null
  /** When the image was built (its config's `created`); null until known or when the config has none. */
  builtAt: string | null
  lastUsedAt: string | null
  sandboxes: SandboxRef[]
  snapshots: string[]
  aliases: string[]
  /** References sharing this one's metadata file (the same name to msb); empty until usage is known. */
  sharesMetadataWith: string[]
  /** Files msb needs that are missing: the image is damaged (msb cannot start it) and can be removed. */
  missingFiles: string[]
  /** Pinned by a sandbox (msb refuses to remove it without force). */
  inUse: boolean
  /** `createdAt` / `lastUsedAt` parsed once (ms since the epoch); null when unknown or unparsable. */
  createdMs: number | null
  builtMs: number | null
  lastUsedMs: number | null
  /** Derived once in joinRows; what sorting and search compare. */
  keys: RowKeys
}

export interface RowKeys {
  /**
   * The reference lower-cased with each run of digits prefixed by its length (naturalKey): the
   * reference column sorts case-insensitively and naturally, `img97` before `img1067`.
   */
  reference: string
  /** sandboxes × 2 + (any snapshot ? 1 : 0): the "In use" column's order. */
  inUse: number
  /**
   * Reference, digest, platform and sandbox names, lower-cased and joined by spaces; built by
   * `searchTextOf` on first use (or ahead of time by `prepareSearch`), so the first paint does not wait
   * for 10,000 of them.
   */
  search: string | null
}

export type RowFilter = 'all' | 'in-use' | 'unused' | 'dangling'

export type SortKey =
  | 'reference'
  | 'digest'
  | 'size'
  | 'freed'
  | 'shared'
  | 'flat'
  | 'layers'
  | 'platform'
  | 'created'
  | 'built'
  | 'lastUsed'
  | 'unusedFor'
  | 'inUse'

export interface Sorting {
  key: SortKey
  desc: boolean
}

function parseTime(iso: string | null): number | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : ms
}

/**
 * `uses` (database facts: sandboxes, snapshots, aliases) arrive with the list; `usage` (measured bytes,
 * and the same facts) later. Either gives the facts; only usage gives bytes.
 */
/**
 * A string whose plain order is the natural order of `text`: each run of digits gets its length in front
 * (three digits), so shorter numbers sort first and equal lengths compare digit by digit (`97` < `1067`).
 */
export function naturalKey(text: string): string {
  return text.replace(/\d+/g, (digits) => {
    const d = digits.replace(/^0+(?=\d)/, '')
    return `${String(Math.min(d.length, 999)).padStart(3, '0')}${d}`
  })
}

export function joinRows(
  images: ImageHandle[],
  usage: CacheUsage | null,
  uses: ImageUse[] | null = null,
  builds: BuildDate[] | null = null
): ImageRow[] {
  const builtByReference = new Map<string, string | null>()
  for (const b of builds ?? []) builtByReference.set(b.reference, b.builtAt)
  const byReference = new Map<string, ImageUsage>()
  for (const u of usage?.images ?? []) byReference.set(u.reference, u)
  const useByReference = new Map<string, ImageUse>()
  for (const u of uses ?? []) useByReference.set(u.reference, u)
  return images.map((image) => {
    const u = byReference.get(image.reference)
    const facts = useByReference.get(image.reference) ?? u
    const parts = splitReference(image.reference)
    const platform = image.os || image.architecture ? [image.os, image.architecture].filter(Boolean).join('/') : null
    const sandboxes = facts?.sandboxes ?? []
    const snapshots = facts?.snapshots ?? []
    return {
      reference: image.reference,
      parts,
      digest: image.manifestDigest,
      sizeBytes: image.sizeBytes,
      measured: usage !== null,
      uniqueBytes: u ? u.uniqueBytes : null,
      sharedBytes: u ? u.sharedBytes : null,
      flatBytes: u ? u.flatAllocatedBytes : null,
      freedBytes: u ? u.freedBytes : null,
      layerCount: image.layerCount,
      platform,
      createdAt: image.createdAt,
      builtAt: builtByReference.get(image.reference) ?? null,
      lastUsedAt: image.lastUsedAt,
      sandboxes,
      snapshots,
      aliases: facts?.aliases ?? [],
      sharesMetadataWith: u?.sharesMetadataWith ?? [],
      missingFiles: u?.missingFiles ?? [],
      inUse: sandboxes.length > 0,
      createdMs: parseTime(image.createdAt),
      builtMs: parseTime(builtByReference.get(image.reference) ?? null),
      lastUsedMs: parseTime(image.lastUsedAt),
      keys: {
        reference: naturalKey(image.reference.toLowerCase()),
        inUse: sandboxes.length * 2 + (snapshots.length > 0 ? 1 : 0),
        search: null
      }
    }
  })
}

export function matchesFilter(row: ImageRow, filter: RowFilter): boolean {
  switch (filter) {
    case 'all':
      return true
    case 'in-use':
      return row.inUse || row.snapshots.length > 0
    case 'unused':
      return !row.inUse && row.snapshots.length === 0
    case 'dangling':
      // Dangling data is what nothing refers to; a reference, tagged or not, is never dangling. The
      // Dangling filter lists that data (usage.dangling) in a view of its own, not image rows.
      return false
  }
}

/** The search box's words, lower-cased; none for a blank search. */
export function searchWords(search: string): string[] {
  return search.trim().toLowerCase().split(/\s+/).filter(Boolean)
}

/** The row's lower-cased search text, built once and kept on the row. */
export function searchTextOf(row: ImageRow): string {
  let text = row.keys.search
  if (text === null) {
    text = `${row.reference} ${row.digest ?? ''} ${row.platform ?? ''}`
    for (const s of row.sandboxes) text += ` ${s.name}`
    text = text.toLowerCase()
    row.keys.search = text
  }
  return text
}

/**
 * Builds the search text of `rows` from `start` until `deadline` (a performance.now() time) passes;
 * answers where it stopped (rows.length when done). For idle time after the first paint.
 */
export function prepareSearch(rows: readonly ImageRow[], start = 0, deadline = Number.POSITIVE_INFINITY): number {
  let i = start
  while (i < rows.length) {
    searchTextOf(rows[i++])
    if ((i & 255) === 0 && performance.now() > deadline) break
  }
  return i
}

/** Every whitespace-separated word must appear in the reference, digest, platform or a sandbox name. */
export function matchesSearch(row: ImageRow, search: string | string[]): boolean {
  const words = typeof search === 'string' ? searchWords(search) : search
  if (words.length === 0) return true
  const text = searchTextOf(row)
  for (const w of words) if (!text.includes(w)) return false
  return true
}

type Key = string | number | null

/** The value a row sorts by under each key (null: unknown). */
export const SORT_VALUE: Record<SortKey, (row: ImageRow) => Key> = {
  reference: (r) => r.keys.reference,
  digest: (r) => r.digest,
  size: (r) => r.sizeBytes,
  freed: (r) => r.freedBytes,
  shared: (r) => r.sharedBytes,
  flat: (r) => r.flatBytes,
  layers: (r) => r.layerCount,
  platform: (r) => r.platform,
  created: (r) => r.createdMs,
  built: (r) => r.builtMs,
  lastUsed: (r) => r.lastUsedMs,
  // The longer unused, the larger: the reverse of lastUsed, with unknown last uses still last.
  unusedFor: (r) => (r.lastUsedMs === null ? null : -r.lastUsedMs),
  inUse: (r) => r.keys.inUse
}

// Sorted orders of one rows array, per sort state. A reload makes a new rows array, so its orders are
// dropped with it; sorting back to an earlier column is a lookup.
const sortedOrders = new WeakMap<readonly ImageRow[], Map<string, ImageRow[]>>()

/**
 * `rows` in `sorting`'s order: unknown values last in both directions, ties by reference so the order
 * is stable (the reference column itself has no ties). Each row's key is read once into
 * an array and the indices are sorted, so a comparison is two array reads; the result is cached per
 * rows array and sort state. Do not mutate the answer.
 */
export function sortRows(rows: readonly ImageRow[], sorting: Sorting): ImageRow[] {
  let orders = sortedOrders.get(rows)
  if (!orders) sortedOrders.set(rows, (orders = new Map()))
  const id = `${sorting.key}:${sorting.desc ? 'desc' : 'asc'}`
  const cached = orders.get(id)
  if (cached) return cached

  const n = rows.length
  const value = SORT_VALUE[sorting.key]
  const values: Key[] = new Array(n)
  const index: number[] = new Array(n)
  for (let i = 0; i < n; i++) {
    values[i] = value(rows[i])
    index[i] = i
  }
  const dir = sorting.desc ? -1 : 1
  const byReference = sorting.key !== 'reference'
  index.sort((a, b) => {
    const va = values[a]
    const vb = values[b]
    if (va === null) {
      if (vb !== null) return 1
    } else if (vb === null) return -1
    else if (va !== vb) return va < vb ? -dir : dir
    if (!byReference) return 0
    const ra = rows[a].reference
    const rb = rows[b].reference
    return ra < rb ? -1 : ra > rb ? 1 : 0
  })
  const sorted: ImageRow[] = new Array(n)
  for (let i = 0; i < n; i++) sorted[i] = rows[index[i]]
  orders.set(id, sorted)
  return sorted
}

/**
 * The rows on screen: the cached sorted order, filtered (filtering keeps the order, so neither a
 * keystroke nor a filter change sorts). With no filter and no search this is the cached order itself.
 */
export function visibleRows(
  rows: readonly ImageRow[],
  filter: RowFilter,
  search: string,
  sorting: Sorting
): ImageRow[] {
  const sorted = sortRows(rows, sorting)
  const words = searchWords(search)
  if (filter === 'all' && words.length === 0) return sorted
  const out: ImageRow[] = []
  for (const row of sorted) if (matchesFilter(row, filter) && matchesSearch(row, words)) out.push(row)
  return out
}

/**
 * True when every row matching `next` also matches `previous` (each earlier word is inside a new
 * one, as when typing on): the new result is then the old one filtered again, in the same order.
 */
export function refinesSearch(next: string, previous: string): boolean {
  const nextWords = searchWords(next)
  return searchWords(previous).every((p) => nextWords.some((n) => n.includes(p)))
}

/** `shown` (already filtered and sorted) narrowed to the rows matching `search`; order kept. */
export function narrowRows(shown: readonly ImageRow[], search: string): ImageRow[] {
  const words = searchWords(search)
  const out: ImageRow[] = []
  for (const row of shown) if (matchesSearch(row, words)) out.push(row)
  return out
}

export interface RowStats {
  counts: Record<RowFilter, number>
  byReference: ReadonlyMap<string, ImageRow>
}

const rowStats = new WeakMap<readonly ImageRow[], RowStats>()

/** Counts per filter and a reference → row index, computed once per rows array. */
export function statsOf(rows: readonly ImageRow[]): RowStats {
  let stats = rowStats.get(rows)
  if (stats) return stats
  const counts: Record<RowFilter, number> = { all: rows.length, 'in-use': 0, unused: 0, dangling: 0 }
  const byReference = new Map<string, ImageRow>()
  for (const row of rows) {
    if (matchesFilter(row, 'in-use')) counts['in-use']++
    else counts.unused++
    byReference.set(row.reference, row)
  }
  stats = { counts, byReference }
  rowStats.set(rows, stats)
  return stats
}
