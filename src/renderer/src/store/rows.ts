// The table's row type, derived from the contract in this one place (STYLE: keep API types and view
// types apart): `list` gives the handles, `usage` the measured bytes and pins, joined by reference.
// Filtering, search and sorting are pure functions here so the store can keep the visible order and
// keyboard moves, Delete and the treemap all agree on it.
import type { CacheUsage, ImageHandle, ImageUsage, SandboxRef } from '../../../shared/contract'
import { parseReference, type ReferenceParts } from './reference'

export interface ImageRow {
  reference: string
  parts: ReferenceParts
  digest: string | null
  sizeBytes: number | null
  /** null until usage is known for this reference. */
  uniqueBytes: number | null
  sharedBytes: number | null
  layerCount: number
  /** "linux/amd64", or null when msb recorded neither. */
  platform: string | null
  createdAt: string | null
  lastUsedAt: string | null
  sandboxes: SandboxRef[]
  snapshots: string[]
  aliases: string[]
  /** Pinned by a sandbox (msb refuses to remove it without force). */
  inUse: boolean
  /** A reference with no tag (digest-pinned) or whose manifest is gone: nothing names it for humans. */
  dangling: boolean
}

export type RowFilter = 'all' | 'in-use' | 'unused' | 'dangling'

export type SortKey =
  | 'reference'
  | 'digest'
  | 'size'
  | 'unique'
  | 'shared'
  | 'layers'
  | 'platform'
  | 'created'
  | 'lastUsed'
  | 'inUse'

export interface Sorting {
  key: SortKey
  desc: boolean
}

export function joinRows(images: ImageHandle[], usage: CacheUsage | null): ImageRow[] {
  const byReference = new Map<string, ImageUsage>()
  for (const u of usage?.images ?? []) byReference.set(u.reference, u)
  return images.map((image) => {
    const u = byReference.get(image.reference)
    const parts = parseReference(image.reference)
    const platform = image.os || image.architecture ? [image.os, image.architecture].filter(Boolean).join('/') : null
    return {
      reference: image.reference,
      parts,
      digest: image.manifestDigest,
      sizeBytes: image.sizeBytes,
      uniqueBytes: u ? u.uniqueBytes : null,
      sharedBytes: u ? u.sharedBytes : null,
      layerCount: image.layerCount,
      platform,
      createdAt: image.createdAt,
      lastUsedAt: image.lastUsedAt,
      sandboxes: u?.sandboxes ?? [],
      snapshots: u?.snapshots ?? [],
      aliases: u?.aliases ?? [],
      inUse: (u?.sandboxes.length ?? 0) > 0,
      dangling: image.manifestDigest === null || (parts.tag === null && parts.digest !== null)
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
      return row.dangling
  }
}

/** Every whitespace-separated word must appear in the reference, digest, platform or a sandbox name. */
export function matchesSearch(row: ImageRow, search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const haystack = [row.reference, row.digest ?? '', row.platform ?? '', ...row.sandboxes.map((s) => s.name)]
    .join(' ')
    .toLowerCase()
  return words.every((w) => haystack.includes(w))
}

type Key = string | number | null

const SORT_VALUE: Record<SortKey, (row: ImageRow) => Key> = {
  reference: (r) => r.reference.toLowerCase(),
  digest: (r) => r.digest,
  size: (r) => r.sizeBytes,
  unique: (r) => r.uniqueBytes,
  shared: (r) => r.sharedBytes,
  layers: (r) => r.layerCount,
  platform: (r) => r.platform,
  created: (r) => (r.createdAt ? Date.parse(r.createdAt) : null),
  lastUsed: (r) => (r.lastUsedAt ? Date.parse(r.lastUsedAt) : null),
  inUse: (r) => r.sandboxes.length * 2 + (r.snapshots.length > 0 ? 1 : 0)
}

/** Unknown values sort last in both directions; ties fall back to the reference so order is stable. */
export function compareRows(a: ImageRow, b: ImageRow, sorting: Sorting): number {
  const value = SORT_VALUE[sorting.key]
  const va = value(a)
  const vb = value(b)
  if (va === null && vb !== null) return 1
  if (vb === null && va !== null) return -1
  let order = 0
  if (va !== null && vb !== null) order = va < vb ? -1 : va > vb ? 1 : 0
  if (sorting.desc) order = -order
  if (order === 0 && sorting.key !== 'reference') order = a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0
  return order
}

export function visibleRows(rows: ImageRow[], filter: RowFilter, search: string, sorting: Sorting): ImageRow[] {
  return rows.filter((r) => matchesFilter(r, filter) && matchesSearch(r, search)).sort((a, b) => compareRows(a, b, sorting))
}
