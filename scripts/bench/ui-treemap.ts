// `tsx scripts/bench/ui-treemap.ts [--images 10000]`: the disk-usage treemap's work at N images, the part that
// grows with the cache: building the registry → repository → image tree from `usage`, and laying out one
// level (at most MAX_TILES tiles, so the DOM the page draws stays a few hundred buttons at any size).
// The usage is synthetic (names and sizes from a seeded PRNG): this measures the renderer's code, not msb.
import { prng } from '../../test-support/fixtures/prng'
import type { CacheUsage, ImageUsage } from '../../src/shared/contract'
import { layoutLevel, levelOf, MAX_TILES, usageTree } from '../../src/renderer/src/components/disk-usage/usage-tree'
import { timeSync } from './timing'

const images = Number(process.argv[process.argv.indexOf('--images') + 1] || 10000) || 10000
const random = prng(10)
const registries = ['docker.io', 'ghcr.io', 'quay.io', 'localhost:5000', 'registry.example.com:8443', 'gcr.io']
const entries: ImageUsage[] = []
for (let i = 0; i < images; i++) {
  const registry = registries[Math.floor(random() ** 2 * registries.length)]
  const repo = `team-${Math.floor(random() * 60)}/app-${Math.floor(random() * 50)}`
  const manifest =
    random() < 0.15 && i > 0
      ? entries[Math.floor(random() * i)].manifestDigest!
      : `sha256:${i.toString(16).padStart(64, '0')}`
  const unique = Math.floor(random() ** 3 * 300_000_000)
  entries.push({
    reference: `${registry}/${repo}:v${i}`,
    manifestDigest: manifest,
    uniqueBytes: unique,
    sharedBytes: 0,
    freedBytes: unique,
    aliases: [],
    sharesMetadataWith: [],
    sandboxes: random() < 0.02 ? [{ id: i, name: `sbx-${i}`, status: 'Running' }] : [],
    snapshots: [],
    missingFiles: [],
    flatBytes: 0,
    flatAllocatedBytes: 0
  })
}
const usage: CacheUsage = {
  images: entries,
  totals: [],
  totalBytes: entries.reduce((n, e) => n + e.uniqueBytes, 0) * 1.4,
  sharedLayerBytes: entries.reduce((n, e) => n + e.uniqueBytes, 0) * 0.3,
  reclaimableBytes: 0,
  danglingBytes: 0,
  dangling: [],
  flat: [],
  flatUnusedBytes: 0,
  flatUnusedAllocatedBytes: 0,
  held: [],
  home: { areas: [], logicalBytes: 0, allocatedBytes: 0, msb: {} as CacheUsage['home']['msb'] }
}

const W = 900
const H = 560
const build = timeSync(9, () => usageTree(usage))
const root = usageTree(usage)
// A fresh tree per run, so the per-node memo of levels does not hide the sort.
const rootLevel = timeSync(9, () => layoutLevel(usageTree(usage), W, H))
const biggest = [...levelOf(root)].find((n) => n.kind === 'registry')!
const registryLevel = timeSync(9, () => {
  const fresh = usageTree(usage)
  return layoutLevel(
    levelOf(fresh).find((n) => n.id === biggest.id)!,
    W,
    H
  )
})
const repoCount = levelOf(biggest).length
const ms = (v: number) => `${v.toFixed(1)} ms`
console.log(`Treemap at ${images.toLocaleString('en-US')} images (${W}×${H} px, at most ${MAX_TILES} tiles per level)`)
console.log('')
console.log('| step | median | min |')
console.log('|---|---:|---:|')
console.log(`| build the tree from usage | ${ms(build.median)} | ${ms(build.min)} |`)
console.log(
  `| build + lay out the top level (${levelOf(root).length} tiles) | ${ms(rootLevel.median)} | ${ms(rootLevel.min)} |`
)
console.log(
  `| build + lay out the largest registry (${repoCount} tiles of ${biggest.children!.length} repositories) | ${ms(registryLevel.median)} | ${ms(registryLevel.min)} |`
)
