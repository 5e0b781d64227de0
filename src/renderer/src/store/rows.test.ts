// The precomputed sort keys, cached sorted orders and precomputed search text must give exactly what
// the plain definitions give: `compareRows` over the filtered rows, and the words of the search found
// in the reference, digest, platform or a sandbox name (case-insensitive).
import { describe, expect, it } from 'vitest'
import type { CacheUsage, ImageHandle } from '../../../shared/contract'
import {
  joinRows,
  matchesFilter,
  narrowRows,
  prepareSearch,
  refinesSearch,
  sortRows,
  statsOf,
  visibleRows,
  SORT_VALUE,
  type ImageRow,
  type RowFilter,
  type SortKey,
  type Sorting
} from './rows'

/** The plain definition of the table's order: unknown values last in both directions, ties by reference. */
function compareRows(a: ImageRow, b: ImageRow, sorting: Sorting): number {
  const value = SORT_VALUE[sorting.key]
  const va = value(a)
  const vb = value(b)
  if (va === null && vb !== null) return 1
  if (vb === null && va !== null) return -1
  let order = 0
  if (va !== null && vb !== null) order = va < vb ? -1 : va > vb ? 1 : 0
  if (sorting.desc) order = -order
  if (order === 0 && sorting.key !== 'reference')
    order = a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0
  return order
}

const SORT_KEYS: SortKey[] = [
  'reference',
  'digest',
  'size',
  'freed',
  'shared',
  'layers',
  'platform',
  'created',
  'lastUsed',
  'inUse'
]
const FILTERS: RowFilter[] = ['all', 'in-use', 'unused', 'dangling']

/** A deterministic mix with ties, nulls, case differences, digest-pinned and unparsable dates. */
function fixture(n = 600): { images: ImageHandle[]; usage: CacheUsage } {
  let seed = 42
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed % k
  }
  const images: ImageHandle[] = []
  const usage: CacheUsage = {
    images: [],
    totals: [],
    totalBytes: 0,
    sharedLayerBytes: 0,
    reclaimableBytes: 0,
    danglingBytes: 0,
    dangling: [],
    flat: [],
    flatUnusedBytes: 0,
    flatUnusedAllocatedBytes: 0,
    held: [],
    home: { areas: [], logicalBytes: 0, allocatedBytes: 0, msb: {} as CacheUsage['home']['msb'] }
  }
  for (let i = 0; i < n; i++) {
    const team = ['Web', 'ml', 'data', 'WEB'][rnd(4)]
    const hex = (rnd(1e6) + 1e6).toString(16).padEnd(64, '0')
    const reference =
      rnd(10) === 0
        ? `registry.local/${team}/app-${rnd(50)}@sha256:${hex}`
        : `registry.local/${team}/app-${rnd(50)}:v${i}`
    const time = (d: number) =>
      d === 0 ? null : d === 1 ? 'not a date' : `2026-0${1 + rnd(9)}-1${rnd(10)}T10:0${rnd(10)}:00.12345678${rnd(10)}Z`
    images.push({
      reference,
      sizeBytes: rnd(8) === 0 ? null : rnd(20) * 1000,
      manifestDigest: rnd(15) === 0 ? null : `sha256:${hex}`,
      architecture: rnd(5) === 0 ? null : ['amd64', 'arm64'][rnd(2)],
      os: rnd(6) === 0 ? null : 'linux',
      layerCount: rnd(5),
      lastUsedAt: time(rnd(12)),
      createdAt: time(rnd(12))
    })
    if (rnd(7) !== 0) {
      usage.images.push({
        reference,
        manifestDigest: `sha256:${hex}`,
        uniqueBytes: rnd(10) * 512,
        sharedBytes: rnd(3) * 4096,
        freedBytes: rnd(10) * 256,
        aliases: [],
        sharesMetadataWith: [],
        flatBytes: 0,
        flatAllocatedBytes: 0,
        sandboxes: rnd(6) === 0 ? [{ id: i, name: `Box-${rnd(9)}`, status: 'running' }] : [],
        snapshots: rnd(9) === 0 ? ['snap'] : [],
        missingFiles: []
      })
    }
  }
  return { images, usage }
}

/** The definition: every word in the lower-cased haystack, built from scratch. */
function plainSearch(row: ReturnType<typeof joinRows>[number], search: string): boolean {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean)
  const haystack = [row.reference, row.digest ?? '', row.platform ?? '', ...row.sandboxes.map((s) => s.name)]
    .join(' ')
    .toLowerCase()
  return words.every((w) => haystack.includes(w))
}

describe('rows', () => {
  const { images, usage } = fixture()
  const rows = joinRows(images, usage)

  it('sorts with precomputed keys exactly as compareRows does, for every key and direction', () => {
    for (const key of SORT_KEYS) {
      for (const desc of [false, true]) {
        const sorting = { key, desc }
        const expected = [...rows].sort((a, b) => compareRows(a, b, sorting)).map((r) => r.reference)
        expect(
          sortRows(rows, sorting).map((r) => r.reference),
          `${key} ${desc ? 'desc' : 'asc'}`
        ).toEqual(expected)
      }
    }
  })

  it('keeps unknown values last in both directions', () => {
    for (const desc of [false, true]) {
      const sorted = sortRows(rows, { key: 'created', desc })
      const firstNull = sorted.findIndex((r) => r.createdMs === null)
      expect(firstNull).toBeGreaterThan(0)
      expect(sorted.slice(firstNull).every((r) => r.createdMs === null)).toBe(true)
    }
  })

  it('caches one order per rows array and sort state', () => {
    expect(sortRows(rows, { key: 'size', desc: true })).toBe(sortRows(rows, { key: 'size', desc: true }))
    expect(sortRows(rows, { key: 'size', desc: true })).not.toBe(sortRows(rows, { key: 'size', desc: false }))
    expect(sortRows(joinRows(images, usage), { key: 'size', desc: true })).not.toBe(
      sortRows(rows, { key: 'size', desc: true })
    )
  })

  it('filters and searches the sorted order exactly as filter-then-sort would', () => {
    const searches = ['', 'web', '  WEB  v1 ', 'box-3', 'linux/arm64', 'sha256:0f', 'nothing-matches', 'APP-1 amd']
    for (const filter of FILTERS) {
      for (const search of searches) {
        for (const sorting of [
          { key: 'created' as const, desc: true },
          { key: 'reference' as const, desc: false }
        ]) {
          const expected = rows
            .filter((r) => matchesFilter(r, filter) && plainSearch(r, search))
            .sort((a, b) => compareRows(a, b, sorting))
            .map((r) => r.reference)
          expect(
            visibleRows(rows, filter, search, sorting).map((r) => r.reference),
            `${filter} "${search}"`
          ).toEqual(expected)
        }
      }
    }
  })

  it('builds search text ahead of time in slices', () => {
    const fresh = joinRows(images, usage)
    expect(fresh.every((r) => r.keys.search === null)).toBe(true)
    expect(prepareSearch(fresh, 0, Number.NEGATIVE_INFINITY)).toBe(256)
    expect(prepareSearch(fresh, 256)).toBe(fresh.length)
    expect(fresh.every((r) => r.keys.search !== null)).toBe(true)
  })

  it('counts each filter once per rows array', () => {
    const stats = statsOf(rows)
    expect(statsOf(rows)).toBe(stats)
    for (const filter of FILTERS) expect(stats.counts[filter]).toBe(rows.filter((r) => matchesFilter(r, filter)).length)
    expect(stats.byReference.get(rows[3].reference)).toBe(rows[3])
  })
})

describe('narrowing a search', () => {
  const { images, usage } = fixture(400)
  const rows = joinRows(images, usage)

  it('knows when a new search can only narrow the old one', () => {
    expect(refinesSearch('we', 'w')).toBe(true)
    expect(refinesSearch('web app', 'web')).toBe(true)
    expect(refinesSearch('w', '')).toBe(true)
    expect(refinesSearch('APP-1 web', 'web app')).toBe(true)
    expect(refinesSearch('w', 'we')).toBe(false)
    expect(refinesSearch('', 'w')).toBe(false)
    expect(refinesSearch('ml', 'web')).toBe(false)
  })

  it('gives what a full recompute gives when typing on', () => {
    for (const filter of FILTERS) {
      const sorting = { key: 'size' as const, desc: true }
      let search = ''
      let shown = visibleRows(rows, filter, search, sorting)
      for (const next of ['w', 'we', 'web', 'web ', 'web a', 'web app-1']) {
        expect(refinesSearch(next, search)).toBe(true)
        shown = narrowRows(shown, next)
        search = next
        expect(
          shown.map((r) => r.reference),
          `${filter} "${next}"`
        ).toEqual(visibleRows(rows, filter, next, sorting).map((r) => r.reference))
      }
    }
  })
})

describe('natural reference order', () => {
  it('sorts numbers by value: img97 before img1067, case-insensitively', () => {
    const refs = ['img1067', 'IMG97', 'img2', 'img10:1.10', 'img10:1.9', 'img007b']
    const images = refs.map((reference) => ({
      reference,
      sizeBytes: null,
      manifestDigest: null,
      architecture: null,
      os: null,
      layerCount: 0,
      lastUsedAt: null,
      createdAt: null
    }))
    const order = sortRows(joinRows(images, null), { key: 'reference', desc: false }).map((r) => r.reference)
    expect(order).toEqual(['img2', 'img007b', 'img10:1.9', 'img10:1.10', 'IMG97', 'img1067'])
  })
})
