// `npm run soak`: the crash and concurrency loops of the write-path tests, for longer.
//   tsx scripts/soak.ts [--crash-runs 500] [--concurrency-seconds 300] [--unnamed-home-rounds 200] [--erofs-runs 5000] [--seed N] [--msb 0.6.18|0.7.2|0.7.8]
// (`--msb 0.7.8`: the crash runs on a msb 0.7.8 home, test-support/core/msb078-home.ts)
// Prints figures as it goes and a summary at the end; exits 1 if the explorer lost anything
// (msb's own prune is only measured, for comparison).
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { tempDir } from '../test-support/core/cache-dump'
import {
  concurrencyRun,
  describeConcurrency,
  unnamedHomeRounds,
  writeChurnArchives
} from '../test-support/core/concurrency-runs'
import { crashRuns } from '../test-support/core/crash-runs'
import { build078Home } from '../test-support/core/msb078-home'
import { smallScenario } from '../test-support/core/small-scenario'
import { buildScenario } from '../test-support/fixtures/scenarios'
import { DEFAULT_MSB, MSB_VERSIONS, type MsbVersion } from '../src/main/demo/msb'
import { buildCache } from '../src/main/demo/build-cache'
import { fuzzErofs } from '../test-support/fixtures/erofs-fuzz'
import { FILE_LAYERS } from '../test-support/fixtures/file-scenarios'

const { values } = parseArgs({
  options: {
    'crash-runs': { type: 'string', default: '500' },
    'concurrency-seconds': { type: 'string', default: '300' },
    'unnamed-home-rounds': { type: 'string', default: '200' },
    'erofs-runs': { type: 'string', default: '5000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    msb: { type: 'string', default: DEFAULT_MSB }
  }
})
const home078 = values.msb === '0.7.8'
if (!(MSB_VERSIONS as readonly string[]).includes(values.msb) && !home078) {
  console.error(`--msb must be one of ${[...MSB_VERSIONS, '0.7.8'].join(', ')}`)
  process.exit(2)
}
// A 0.7.8 home is a real 0.7.2 home plus two migration rows; its concurrency runs use 0.7.2 itself.
const msb = (home078 ? '0.7.2' : values.msb) as MsbVersion
const crashRunCount = Number(values['crash-runs'])
const seconds = Number(values['concurrency-seconds'])
const unnamedRounds = Number(values['unnamed-home-rounds'])
const seed = Number(values.seed)
const erofsRuns = Number(values['erofs-runs'])

const dir = tempDir('ice-soak-')
let failed = false
try {
  const base = join(dir, 'home')
  if (home078) build078Home(base)
  else buildScenario(base, smallScenario(), { msb })
  if (crashRunCount > 0) {
    console.log(`crash runs: ${crashRunCount}, seed ${seed}, msb ${home078 ? '0.7.8 home' : msb}`)
    const figures = await crashRuns({
      base,
      runs: crashRunCount,
      seed,
      msb078: home078,
      onRun: (run, f) => {
        if ((run + 1) % 50 === 0) console.log(`  ${run + 1} runs, ${f.killed} killed, ${f.failures.length} failures`)
      }
    })
    console.log(
      `crash: ${figures.runs} runs (killed ${figures.killed}, finished first ${figures.finished}), by point ${JSON.stringify(figures.byPoint)}, ` +
        `${figures.leftoversReclaimed} leftover files reclaimed by the next prune, ${figures.failures.length} failures, ${(figures.ms / 1000).toFixed(0)} s`
    )
    for (const f of figures.failures) console.log(`  FAIL run ${f.run} ${f.order}: ${f.problems.join(' | ')}`)
    failed ||= figures.failures.length > 0
  }
  if (erofsRuns > 0) {
    const erofsHome = join(dir, 'erofs-home')
    buildCache(erofsHome, [{ reference: 'files:1', image: { layers: FILE_LAYERS } }], { msb })
    const layerDir = join(erofsHome, 'cache', 'layers')
    const images = readdirSync(layerDir)
      .filter((f) => f.endsWith('.erofs'))
      .map((f) => readFileSync(join(layerDir, f)))
    const t = performance.now()
    const f = fuzzErofs(images, erofsRuns, seed)
    console.log(
      `erofs fuzz: ${f.runs} mutated images, ${f.read} read, rejected ${JSON.stringify(f.rejected)}, slowest ${f.slowestMs.toFixed(0)} ms, ` +
        `${f.failures.length} failures, ${((performance.now() - t) / 1000).toFixed(0)} s`
    )
    for (const failure of f.failures.slice(0, 10)) console.log(`  FAIL ${failure}`)
    failed ||= f.failures.length > 0
  }
  if (seconds > 0) {
    const archives = writeChurnArchives(dir)
    for (const mode of ['ours', 'msb'] as const) {
      console.log(`concurrency (${mode}) for ${seconds} s …`)
      const f = await concurrencyRun(mode, archives, seconds * 1000, msb)
      console.log(`concurrency ${describeConcurrency(f)}`)
      for (const b of f.broken) console.log(`  broken ${b.reference}: ${b.problems.join('; ')}`)
      for (const e of f.cleanup.errors.slice(0, 10)) console.log(`  cleanup error: ${e}`)
      for (const e of f.loadFailures.slice(0, 10)) console.log(`  load failure: ${e}`)
      if (mode === 'ours') failed ||= f.broken.length > 0 || f.cleanup.errors.length > 0
    }
  }
  if (unnamedRounds > 0) {
    // A home the explorer was not told about loads each image while the explorer prunes it (issue 26).
    console.log(`unnamed home sharing the cache: ${unnamedRounds} rounds, msb ${msb}`)
    const f = await unnamedHomeRounds(unnamedRounds, msb, (round, figures) => {
      if ((round + 1) % 50 === 0) console.log(`  ${round + 1} rounds, ${figures.broken.length} broken`)
    })
    console.log(
      `unnamed home: ${f.rounds} rounds, ${f.loadFailures.length} msb loads failed, ${f.broken.length} broken, ${f.putBack} files put back`
    )
    for (const b of f.broken) console.log(`  broken ${b.reference}: ${b.problems.join('; ')}`)
    failed ||= f.broken.length > 0
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
console.log(failed ? 'soak: FAILED' : 'soak: ok')
process.exitCode = failed ? 1 : 0
