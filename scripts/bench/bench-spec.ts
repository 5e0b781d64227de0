// The benchmark caches: `imageCount` references over small images whose 1-4 layers are drawn from one shared pool,
// so most layer files are shared by many manifests (as in a real cache of one team's images). Each image has its
// own config (a label carrying its index), so every image is a distinct manifest; one image in ten also gets an
// alias (a second reference to the same manifest), one in fifty is pinned by a sandbox and one in a hundred by a
// snapshot, so prune has something to keep. Everything is derived from `imageCount`: same count, same cache.
import type { CacheEntry } from '../../src/main/demo/build-cache'
import type { LayerSpec, OciImageSpec } from '../../src/main/demo/oci-archive'
import { prng } from '../../test-support/fixtures/prng'

export interface BenchSpec {
  imageCount: number
  entries: CacheEntry[]
  /** References pinned by a sandbox (`markInUse`). */
  inUse: string[]
  /** References pinned by a snapshot (`addSnapshotPin`). */
  snapshots: string[]
}

/** Bump when the spec changes: cached fixture caches are keyed by it. */
export const SPEC_VERSION = 1

const POOL_SIZE = 200

export function layerPool(): LayerSpec[] {
  const rnd = prng(7)
  return Array.from({ length: POOL_SIZE }, (_, i) => ({
    seed: `bench-pool-${i}`,
    sizeBytes: 256 + Math.floor(rnd() * 3840),
    files: 1
  }))
}

const TEAMS = ['web', 'data', 'ml', 'infra', 'tools', 'edge', 'mobile', 'search']

export function benchSpec(imageCount: number): BenchSpec {
  const rnd = prng(imageCount)
  const pool = layerPool()
  const entries: CacheEntry[] = []
  const inUse: string[] = []
  const snapshots: string[] = []
  for (let i = 0; entries.length < imageCount; i++) {
    const layerCount = 1 + Math.floor(rnd() * 4)
    const picked = new Set<number>()
    while (picked.size < layerCount) picked.add(Math.floor(rnd() * POOL_SIZE))
    const image: OciImageSpec = {
      layers: [...picked].map((p) => pool[p]),
      config: {
        env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        cmd: ['/bin/sh'],
        labels: { 'org.example.bench.image': String(i) }
      }
    }
    const team = TEAMS[i % TEAMS.length]
    const reference = `registry.bench.local/${team}/app-${i}:v${1 + (i % 9)}`
    entries.push({ reference, image })
    if (i % 10 === 3 && entries.length < imageCount)
      entries.push({ reference: `registry.bench.local/${team}/app-${i}:latest`, image })
    if (i % 50 === 7) inUse.push(reference)
    if (i % 100 === 11) snapshots.push(reference)
  }
  return { imageCount, entries, inUse, snapshots }
}
