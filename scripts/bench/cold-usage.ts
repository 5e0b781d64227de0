// `npm run bench:cold-usage`: only the "cold usage" figures of `bench:speed`, quickly: a whole `new Cache()` +
// `usage()` in process (wall and CPU time, median of several runs, each with a new Cache), once with every file
// lstat-ed and once with sizes stored by an earlier session, beside the `find DIRS -printf %s` floor measured
// in the same run. Prints figures; asserts nothing. Reads the benchmark cache, never writes to it.
//
//   npm run bench:cold-usage [-- --images 10000] [-- --runs 9] [-- --only lstat|stored] [-- --json]
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openCache } from '../../src/main/core/cache'
import { ensureFixture } from './fixture-store'
import { load, type Sample, sample, timeProcess, timeSync } from './timing'

const option = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined
const images = Number(option('--images') ?? 10000)
const reps = Number(option('--runs') ?? 9)
const only = option('--only')
const log = (line: string) => process.stderr.write(`${line}\n`)

const fixture = ensureFixture(images)
const home = fixture.home
const loadBefore = load()
const dirs = ['layers', 'fsmeta', 'vmdk', 'manifests'].map((d) => join(home, 'cache', d))

const figures: Record<string, Sample> = {}
const floorRuns: number[] = []
const findOnce = () => floorRuns.push(timeProcess('find', [...dirs, '-printf', '%s\n']).ms)

if (only !== 'stored') {
  findOnce()
  figures.lstat = timeSync(reps, () => {
    const c = openCache({ home })
    c.usage()
    c.close()
  })
}
if (only !== 'lstat') {
  const store = mkdtempSync(join(tmpdir(), 'ice-bench-sizes-'))
  try {
    openCache({ home, sizeStoreDir: store }).usage()
    findOnce()
    figures.stored = timeSync(reps, () => {
      const c = openCache({ home, sizeStoreDir: store })
      c.usage()
      c.close()
    })
  } finally {
    rmSync(store, { recursive: true, force: true })
  }
}
for (let i = 0; i < 3; i++) findOnce()
const floor = sample(floorRuns)
const loadAfter = load()

const fmt = (s: Sample) =>
  `${s.median.toFixed(0)} ms wall (min ${s.min.toFixed(0)}), ${s.cpuMedian?.toFixed(0)} ms CPU; runs ${s.runs.map((r) => r.toFixed(0)).join(' ')}`
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ loadBefore, loadAfter, floor, ...figures }))
} else {
  console.log(`${images} images; ${cpus().length} CPUs, Node ${process.version}; load ${loadBefore} before, ${loadAfter} after`)
  console.log(`median of ${reps} runs, each a new Cache`)
  if (figures.lstat) console.log(`cold usage, every file lstat-ed:   ${fmt(figures.lstat)}`)
  if (figures.stored) console.log(`cold usage, sizes stored earlier:  ${fmt(figures.stored)}`)
  console.log(`find -printf %s (process, floor):  ${floor.median.toFixed(0)} ms (min ${floor.min.toFixed(0)})`)
}
log('done')
