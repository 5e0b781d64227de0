// usage() and insight() against the files: every number is recomputed here independently, from `fs.statSync` of the
// files msb 0.6.18 wrote and from the OCI archives the fixtures loaded (which manifest has which layers), never from
// the core's own tables.
import { lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CacheUsage } from '../../../shared/contract'
import {
  type BuiltScenario,
  buildScenario,
  randomScenario,
  SHARED_LAYERS,
  standardScenario
} from '../../../../test-support/fixtures/scenarios'
import { type Cache, openCache } from '../cache'
import { metadataKey } from '../homes/reference-key'

const seed = Number(process.env.ICE_SEED ?? Date.now()) % 2 ** 31
console.log(`usage: random cache seed ${seed} (replay with ICE_SEED=${seed})`)

interface Fixture {
  name: string
  home: string
  built: BuiltScenario
  cache: Cache
}

const fixtures: Fixture[] = []

beforeAll(() => {
  for (const [name, scenario] of [
    ['standard', standardScenario()],
    [`random seed=${seed}`, randomScenario(seed, 40)]
  ] as const) {
    const home = mkdtempSync(join(tmpdir(), 'ice-usage-'))
    const built = buildScenario(home, scenario)
    fixtures.push({ name, home, built, cache: openCache({ home }) })
  }
})
afterAll(() => {
  for (const f of fixtures) {
    f.cache.close()
    rmSync(f.home, { recursive: true, force: true })
  }
})

const stem = (digest: string) => digest.replace(':', '_')

function size(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** What the files say, from the fixture's own record of which manifest holds which layers. */
function expected(f: Fixture) {
  const cacheDir = join(f.home, 'cache')
  const layersOf = new Map<string, Set<string>>()
  for (const e of f.built.entries) layersOf.set(e.image.manifestDigest, new Set(e.image.layers.map((l) => l.diffId)))
  const use = new Map<string, number>()
  for (const layers of layersOf.values()) for (const d of layers) use.set(d, (use.get(d) ?? 0) + 1)
  const layerBytes = (diffId: string) => size(join(cacheDir, 'layers', `${stem(diffId)}.erofs`))
  const fsmetaBytes = (digest: string) => size(join(cacheDir, 'fsmeta', `${stem(digest)}.erofs`))
  const vmdkBytes = (digest: string) => size(join(cacheDir, 'vmdk', `${stem(digest)}.vmdk`))
  const metadataBytes = (reference: string) => size(join(cacheDir, 'manifests', `${metadataKey(reference)}.json`))
  const refsOf = (digest: string) =>
    [...f.built.references].filter(([, i]) => i.manifestDigest === digest).map(([r]) => r)
  return { cacheDir, layersOf, use, layerBytes, fsmetaBytes, vmdkBytes, metadataBytes, refsOf }
}

/** `du --apparent-size` of a directory: regular files, sizes in bytes. */
function du(path: string): { files: number; bytes: number } {
  const total = { files: 0, bytes: 0 }
  for (const name of readdirSync(path)) {
    const p = join(path, name)
    const st = lstatSync(p)
    if (st.isDirectory()) {
      const sub = du(p)
      total.files += sub.files
      total.bytes += sub.bytes
    } else if (st.isFile()) {
      total.files++
      total.bytes += st.size
    }
  }
  return total
}

describe.each([0, 1])('usage against the files: cache #%i', (i) => {
  let f: Fixture
  let usage: CacheUsage
  beforeAll(() => {
    f = fixtures[i]
    usage = f.cache.usage()
  })

  it('unique and shared bytes of every image equal the sizes of its files', () => {
    const x = expected(f)
    expect(usage.images.map((u) => u.reference)).toEqual(f.cache.list().map((h) => h.reference))
    for (const u of usage.images) {
      const digest = f.built.references.get(u.reference)!.manifestDigest
      expect(u.manifestDigest).toBe(digest)
      let unique = x.fsmetaBytes(digest) + x.vmdkBytes(digest) + x.metadataBytes(u.reference)
      let shared = 0
      for (const d of x.layersOf.get(digest)!) {
        if (x.use.get(d)! > 1) shared += x.layerBytes(d)
        else unique += x.layerBytes(d)
      }
      expect([u.reference, u.uniqueBytes, u.sharedBytes]).toEqual([u.reference, unique, shared])
      expect(u.aliases.sort()).toEqual(
        x
          .refsOf(digest)
          .filter((r) => r !== u.reference)
          .sort()
      )
    }
  })

  it("listing (ice ls's figures) gives usage's per-image figures, flat bytes aside", () => {
    const flatless = usage.images.map((u) => ({ ...u, flatBytes: 0, flatAllocatedBytes: 0 }))
    expect(f.cache.listing().usages).toEqual(flatless)
  })

  it('totals by kind add up to the du of the cache directory', () => {
    const x = expected(f)
    const all = du(x.cacheDir)
    expect(usage.totalBytes).toBe(all.bytes)
    expect(usage.totals.reduce((n, t) => n + t.bytes, 0)).toBe(all.bytes)
    expect(usage.totals.reduce((n, t) => n + t.files, 0)).toBe(all.files)
    const byKind = Object.fromEntries(usage.totals.map((t) => [t.kind, t]))
    const only = (dir: string, suffix: string) => {
      const names = readdirSync(join(x.cacheDir, dir)).filter((n) => n.endsWith(suffix))
      return { files: names.length, bytes: names.reduce((n, name) => n + size(join(x.cacheDir, dir, name)), 0) }
    }
    expect(byKind.layer).toMatchObject(only('layers', '.erofs'))
    expect(byKind.fsmeta).toMatchObject(only('fsmeta', '.erofs'))
    expect(byKind.vmdk).toMatchObject(only('vmdk', '.vmdk'))
    expect(byKind.metadata).toMatchObject(only('manifests', '.json'))
    // Lock files are empty; they count as files, not bytes.
    expect(byKind.other.bytes).toBe(0)
  })

  it('shared layer bytes are the layers more than one manifest holds (ref-less manifests included)', () => {
    const x = expected(f)
    const shared = [...x.use].filter(([, n]) => n > 1).reduce((n, [d]) => n + x.layerBytes(d), 0)
    expect(usage.sharedLayerBytes).toBe(shared)
  })

  it('reclaimable and dangling bytes equal what the prune plans would delete', () => {
    expect(usage.reclaimableBytes).toBe(f.cache.prunePlan({ scope: { kind: 'unused' } }).totalBytes)
    expect(usage.danglingBytes).toBe(f.cache.prunePlan({ scope: { kind: 'dangling' } }).totalBytes)
    // Retags left manifests without a reference; their files are dangling.
    if (f.built.unreferencedManifests.length > 0) expect(usage.danglingBytes).toBeGreaterThan(0)
  })

  it("insight: each layer's file size, and the other references that share it", () => {
    const x = expected(f)
    for (const [reference, image] of f.built.references) {
      const insight = f.cache.insight({ reference })
      expect(insight.fsmetaBytes).toBe(x.fsmetaBytes(image.manifestDigest))
      expect(insight.vmdkBytes).toBe(x.vmdkBytes(image.manifestDigest))
      expect(insight.usage).toEqual(usage.images.find((u) => u.reference === reference))
      expect(insight.layers.map((l) => [l.position, l.diffId])).toEqual(image.layers.map((l, p) => [p, l.diffId]))
      for (const l of insight.layers) {
        expect(l.fileBytes).toBe(x.layerBytes(l.diffId))
        const others = [...f.built.references]
          .filter(([, o]) => o.manifestDigest !== image.manifestDigest && o.layers.some((ol) => ol.diffId === l.diffId))
          .map(([r]) => r)
        expect(l.sharedWith, `${reference} layer ${l.position}`).toEqual(others.sort())
      }
    }
  })
})

describe('usage against the files: the standard scenario, case by case', () => {
  let f: Fixture
  beforeAll(() => {
    f = fixtures[0]
  })

  it.each(['busybox', 'gcr.io/distroless/static:nonroot', 'localhost:5000/minimal/absent:1'])(
    '%s, whose layers are all its own: unique = its .erofs layers + fsmeta + vmdk + metadata json; shared = 0',
    (reference) => {
      const detail = f.cache.inspect({ reference })
      const cacheDir = join(f.home, 'cache')
      const digest = stem(detail.handle.manifestDigest!)
      const files = [
        ...detail.layers.map((l) => join(cacheDir, 'layers', `${stem(l.diffId)}.erofs`)),
        join(cacheDir, 'fsmeta', `${digest}.erofs`),
        join(cacheDir, 'vmdk', `${digest}.vmdk`),
        join(cacheDir, 'manifests', `${metadataKey(reference)}.json`)
      ]
      const bytes = files.reduce((n, p) => n + statSync(p).size, 0)
      const usage = f.cache.insight({ reference }).usage
      expect(usage.uniqueBytes).toBe(bytes)
      expect(usage.sharedBytes).toBe(0)
      expect(f.cache.insight({ reference }).layers.every((l) => l.sharedWith.length === 0)).toBe(true)
    }
  )

  it('a layer two images share is in the shared bytes of both', () => {
    const cacheDir = join(f.home, 'cache')
    const a = f.cache.insight({ reference: 'localhost:5000/team/app:1.0' })
    const b = f.cache.insight({ reference: 'localhost:5000/team/app:1.1' })
    const sharedDiffs = a.detail.layers.map((l) => l.diffId).filter((d) => b.detail.layers.some((l) => l.diffId === d))
    expect(sharedDiffs).toHaveLength(3) // base OS, libc, node runtime
    const bytes = sharedDiffs.reduce((n, d) => n + statSync(join(cacheDir, 'layers', `${stem(d)}.erofs`)).size, 0)
    expect(a.usage.sharedBytes).toBe(bytes)
    expect(b.usage.sharedBytes).toBe(bytes)
    const node = a.layers[2]
    expect(node.sharedWith).toEqual(['localhost:5000/team/app:1.1', 'localhost:5000/team/app:2.0-beta_1'])
    expect(a.layers[3].sharedWith).toEqual([])
  })

  it('the base OS layer is shared with every other image built on it, aliases and all', () => {
    const alpineless = f.cache.insight({ reference: 'localhost:5000/team/app:1.0' }).layers[0]
    expect(alpineless.fileBytes).toBeGreaterThanOrEqual(SHARED_LAYERS.baseOs.sizeBytes)
    expect(alpineless.sharedWith).toContain('ghcr.io/acme/tool:1')
    expect(alpineless.sharedWith).toContain('ghcr.io/acme/tool:latest')
    expect(alpineless.sharedWith).not.toContain('localhost:5000/team/app:1.0')
  })

  it('aliases, sandboxes and snapshots that keep an image', () => {
    const alpine = f.cache.insight({ reference: 'alpine' }).usage
    expect(alpine.aliases).toEqual(['docker.io/library/alpine:latest'])
    expect(alpine.sandboxes.map((s) => s.name)).toEqual(['scratch'])
    expect(
      f.cache.insight({ reference: 'docker.io/library/alpine:latest' }).usage.sandboxes.map((s) => s.name)
    ).toEqual(['scratch'])
    expect(f.cache.insight({ reference: 'localhost:5000/team/app:1.0' }).usage.sandboxes).toMatchObject([
      { name: 'web-1', status: 'Running' }
    ])
    expect(f.cache.insight({ reference: 'docker.io/library/postgres:16' }).usage.snapshots).toEqual([
      'pg-before-migration'
    ])
  })
})
