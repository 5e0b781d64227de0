// `npm run bench:files`: the file browser on layers the real msb built (kept in `.bench-cache/files-*`):
//   - the tree of one 20,000-file layer, read cold (a fresh reader: nothing of the layer in memory; the OS page
//     cache may hold the file) — target < 300 ms;
//   - the merged view of a 5-layer, 50,000-file image (each layer rewrites and deletes some of the one below),
//     through the core's `imageFiles` on a freshly opened cache — target < 1 s; then the same call warm;
//   - one layer's changes of that image, and the memory the process holds after the merged view.
// Prints figures (median and minimum of several runs); asserts nothing.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { openCache } from '../../src/main/core/cache'
import { ErofsImage } from '../../src/main/core/erofs/erofs-image'
import { walkImage } from '../../src/main/core/erofs/layer-tree'
import { layerFileName } from '../../src/main/core/homes/file-names'
import { buildCache } from '../../src/main/demo/build-cache'
import type { LayerSpec } from '../../src/main/demo/oci-archive'
import type { TarEntry } from '../../src/main/demo/tar-writer'
import { manyFilesLayer } from '../../test-support/fixtures/file-scenarios'
import { BENCH_DIR } from './fixture-store'
import { sample, timeSync } from './timing'

const SPEC_VERSION = 1
const reps = process.argv.includes('--quick') ? 3 : 9

function churnLayer(i: number): LayerSpec {
  // 10,000 new files, plus rewrites and whiteouts of 500 files of the layer below: work for the merge.
  const base = manyFilesLayer(`l${i}`, 10_000, 256)
  const extra: TarEntry[] = []
  if (i > 0) {
    extra.push(
      { name: `many/l${i - 1}`, type: 'directory' },
      { name: `many/l${i - 1}/d0`, type: 'directory' },
      { name: `many/l${i - 1}/d1`, type: 'directory' }
    )
    for (let f = 0; f < 100; f++)
      extra.push({ name: `many/l${i - 1}/d0/f${f}`, type: 'file', data: Buffer.alloc(512, i) })
    for (let f = 100; f < 200; f++)
      extra.push({ name: `many/l${i - 1}/d1/.wh.f${f}`, type: 'file', data: Buffer.alloc(0) })
  }
  return { ...base, entries: [...base.entries!, ...extra] }
}

const IMAGES = {
  'bench/one-layer:20k': [manyFilesLayer('single', 20_000, 256)],
  'bench/five-layers:50k': [0, 1, 2, 3, 4].map(churnLayer)
}

const dir = join(BENCH_DIR, `files-v${SPEC_VERSION}`)
const home = join(dir, 'home')
if (!existsSync(join(dir, 'built.json'))) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'work'), { recursive: true })
  const t = performance.now()
  buildCache(
    home,
    Object.entries(IMAGES).map(([reference, layers]) => ({ reference, image: { layers } })),
    { workDir: join(dir, 'work') }
  )
  rmSync(join(dir, 'work'), { recursive: true, force: true })
  writeFileSync(join(dir, 'built.json'), JSON.stringify({ buildMs: performance.now() - t }))
  process.stderr.write(`built the benchmark cache in ${((performance.now() - t) / 1000).toFixed(1)} s\n`)
}

const fmt = (s: { median: number; min: number; cpuMedian?: number }) =>
  `${s.median.toFixed(0)} ms (min ${s.min.toFixed(0)}${s.cpuMedian !== undefined ? `, CPU ${s.cpuMedian.toFixed(0)}` : ''})`
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1000
}
const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`

const probe = openCache({ home })
const single = probe.inspect({ reference: 'bench/one-layer:20k' }).layers[0].diffId
probe.close()
const singlePath = join(home, 'cache', 'layers', layerFileName(single)!)
let entries = 0
const readTree = () => {
  const image = ErofsImage.open(singlePath)
  try {
    entries = walkImage(image).entries.length
  } finally {
    image.close()
  }
}
// The very first read of the process also pays for compiling the reader: reported apart.
const firstCpu = process.cpuUsage()
const firstAt = performance.now()
readTree()
const first = { wall: performance.now() - firstAt, cpu: cpuMs(firstCpu) }
const tree = timeSync(reps, readTree)

// With --expose-gc (the npm script passes it) the heap figures are live objects, not garbage yet to collect.
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
gc()
const memBefore = process.memoryUsage()
const coldRuns: number[] = []
const coldCpu: number[] = []
let mergedEntries = 0
let efficiency = 0
for (let i = 0; i < reps; i++) {
  const cache = openCache({ home })
  const c = process.cpuUsage()
  const t = performance.now()
  const files = cache.imageFiles({ reference: 'bench/five-layers:50k' })
  coldRuns.push(performance.now() - t)
  coldCpu.push(cpuMs(c))
  mergedEntries = files.entries.length
  efficiency = files.waste.efficiency
  cache.close()
}
const cache = openCache({ home })
cache.imageFiles({ reference: 'bench/five-layers:50k' })
const warm = timeSync(reps, () => cache.imageFiles({ reference: 'bench/five-layers:50k' }))
const layer = timeSync(reps, () => cache.imageFiles({ reference: 'bench/five-layers:50k', layer: 3 }))
const json = JSON.stringify(cache.imageFiles({ reference: 'bench/five-layers:50k' }))
gc()
const memAfter = process.memoryUsage()
cache.close()

console.log(
  `load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}; ${reps} runs per figure: median wall (min, median CPU)`
)
console.log(
  `tree of a ${entries.toLocaleString('en-US')}-entry layer, fresh reader: ${fmt(tree)}; first read of the process ${first.wall.toFixed(0)} ms (CPU ${first.cpu.toFixed(0)})  (target < 300 ms)`
)
console.log(
  `merged view of a 5-layer image, ${mergedEntries.toLocaleString('en-US')} paths (efficiency ${(efficiency * 100).toFixed(1)}%), fresh cache: ${fmt(sample(coldRuns, coldCpu))}  (target < 1 s)`
)
console.log(`  same call again (layer trees and analysis kept): ${fmt(warm)}`)
console.log(`  one layer's changes of that image, warm: ${fmt(layer)}`)
console.log(`  answer on the wire: ${mb(json.length)} of JSON`)
console.log(
  `memory held by an open cache after the merged view (its 5 layer trees and the analysis kept for the next call): heap ${mb(memAfter.heapUsed)} (was ${mb(memBefore.heapUsed)} before), rss ${mb(memAfter.rss)} (was ${mb(memBefore.rss)})`
)
