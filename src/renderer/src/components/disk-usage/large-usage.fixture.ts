// Test data, not part of the app: a disk usage of 10,000 images for the treemap's tests (the tree and the page): most in one namespace
// of thousands of repositories, the rest over three registries. Synthetic: what is checked is how the
// renderer groups and draws a cache this large, which depends on the names and sizes only.
import type { CacheUsage, ImageUsage } from '../../../../shared/contract'

/** 10,000 images: most in one namespace of thousands of repositories, the rest spread out. */
export function tenThousand(): CacheUsage {
  // A fixed linear congruential sequence: the same cache every run, no dependency outside the renderer.
  let seed = 29
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const images: ImageUsage[] = []
  for (let i = 0; i < 10_000; i++) {
    const crowded = i % 10 !== 0
    const reference = crowded
      ? `registry.bench.local/team-1/app-${i}:v${1 + (i % 9)}`
      : `${['ghcr.io', 'quay.io', 'docker.io'][i % 3]}/team-${i % 17}/svc-${i % 40}:${i}`
    const unique = Math.floor(random() ** 3 * 300_000_000) + 1
    images.push({
      reference,
      manifestDigest: `sha256:${i.toString(16).padStart(64, '0')}`,
      uniqueBytes: unique,
      sharedBytes: 0,
      freedBytes: unique,
      aliases: [],
      sharesMetadataWith: [],
      sandboxes: [],
      snapshots: [],
      missingFiles: [],
      flatBytes: 0,
      flatAllocatedBytes: 0
    })
  }
  const total = images.reduce((n, e) => n + e.uniqueBytes, 0)
  return {
    images,
    totals: [],
    totalBytes: total * 1.2,
    sharedLayerBytes: total * 0.1,
    reclaimableBytes: 0,
    danglingBytes: 0,
    dangling: [],
    flat: [],
    flatUnusedBytes: 0,
    flatUnusedAllocatedBytes: 0,
    held: [],
    home: { areas: [], logicalBytes: 0, allocatedBytes: 0, msb: {} as CacheUsage['home']['msb'] }
  }
}
