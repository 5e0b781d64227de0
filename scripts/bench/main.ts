// `npm run bench`: the explorer's core side by side with the Node SDK and the msb CLI on caches of 1,000 and
// 10,000 images built by the real msb (kept in `.bench-cache/` between runs). Prints one table; see BENCHMARKS.md.
//
//   npm run bench                      # 1,000 and 10,000 images
//   npm run bench -- --sizes 1000      # one size (growth is then not judged)
//   npm run bench -- --quick           # fewer runs per figure, for a first look
import { cpus, totalmem } from 'node:os'
import { ensureFixture, msbVersion } from './fixture-store'
import { measureSize, type Reps, type SizeResult } from './measure-size'
import { renderChecks, renderTable } from './report-table'
import { load } from './timing'

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const sizes = (option('--sizes') ?? '1000,10000').split(',').map(Number)
const quick = process.argv.includes('--quick')
const reps: Reps = quick
  ? { reads: 5, processes: 3, prunes: 1, removes: 3 }
  : { reads: 15, processes: 7, prunes: 3, removes: 5 }
const log = (line: string) => process.stderr.write(`${line}\n`)

const loadBefore = load()
const results: SizeResult[] = []
for (const n of sizes) {
  const t = performance.now()
  const fixture = ensureFixture(n)
  log(
    `${n} images: ${fixture.reused ? 'reusing' : 'built'} cache (${fixture.references} refs, ${fixture.manifests} manifests, ` +
      `${fixture.layers} layers; built by msb load in ${(fixture.loadMs / 1000).toFixed(1)} s)` +
      (fixture.reused ? '' : ` in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  )
  results.push(measureSize(fixture, reps, log))
}

const cpu = cpus()
console.log(
  `msb ${msbVersion()}, Node ${process.version}, ${cpu.length} CPUs (${cpu[0]?.model ?? 'unknown'}), ` +
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB; load average ${loadBefore} before, ${load()} after; ` +
    `${quick ? 'quick: ' : ''}median of ${reps.reads} in-process runs, ${reps.processes} process runs, ${reps.prunes} pruned copies, ${reps.removes} removes`
)
for (const r of results) {
  const f = r.fixture
  console.log(
    `${f.imageCount} images: ${f.references} references, ${f.manifests} manifests, ${f.layers} layers (shared pool), ` +
      `${f.pinnedBySandbox} pinned by sandboxes, ${f.pinnedBySnapshot} by snapshots`
  )
}
console.log('')
console.log(renderTable(results))
console.log('')
console.log(renderChecks(results))
