// SIGKILL at random points of remove and prune (see testing/crash-runs.ts for what one run checks):
// a killed explorer never leaves a row pointing at a missing file, never breaks msb, and whatever it
// left half-done is finished by the next prune. Fewer runs on a home msb 0.7.2 built: the write path is the
// same, the runs prove msb 0.7.2 reads what a killed explorer left.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { tempDir } from '../../../../test-support/core/cache-dump'
import { crashRuns } from '../../../../test-support/core/crash-runs'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { build078Home } from '../../../../test-support/core/msb078-home'

/** Smoke size (`npm run soak` runs hundreds): enough for the fixed seed to die in every file phase. */
const RUNS = 12
const RUNS_0_7 = 5
const RUNS_0_7_8 = 8
let dir: string
let base: string
let base07: string
let base078: string

beforeAll(() => {
  dir = tempDir('ice-crash-base-')
  base = join(dir, 'home')
  buildScenario(base, smallScenario())
  base07 = join(dir, 'home-0.7')
  buildScenario(base07, smallScenario(), { msb: '0.7.2' })
  base078 = join(dir, 'home-0.7.8')
  build078Home(base078)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

it(`survives ${RUNS} SIGKILLs at random and named points`, { timeout: 240_000 }, async () => {
  const figures = await crashRuns({ base, runs: RUNS, seed: 20260901 })
  console.log(
    `crash runs: ${figures.runs} (killed ${figures.killed}, finished first ${figures.finished}), by point ${JSON.stringify(figures.byPoint)}, ` +
      `leftover files reclaimed by the next prune ${figures.leftoversReclaimed}, ${(figures.ms / 1000).toFixed(1)} s`
  )
  expect(figures.failures).toEqual([])
  expect(figures.runs).toBe(RUNS)
  // The runs must really have hit the file phase, not only died before or after it.
  for (const point of ['after-commit', 'mid-move', 'after-move', 'mid-unlink'])
    expect(figures.byPoint[point] ?? 0).toBeGreaterThan(0)
  expect(figures.leftoversReclaimed).toBeGreaterThan(0)
})

it(`survives ${RUNS_0_7} SIGKILLs on a home msb 0.7.2 built`, { timeout: 120_000 }, async () => {
  const figures = await crashRuns({ base: base07, runs: RUNS_0_7, seed: 20260910 })
  console.log(
    `crash runs (msb 0.7.2): ${figures.runs} (killed ${figures.killed}, finished first ${figures.finished}), by point ${JSON.stringify(figures.byPoint)}, ` +
      `leftover files reclaimed by the next prune ${figures.leftoversReclaimed}, ${(figures.ms / 1000).toFixed(1)} s`
  )
  expect(figures.failures).toEqual([])
  expect(figures.runs).toBe(RUNS_0_7)
  const filePhase = ['after-commit', 'mid-move', 'after-move', 'mid-unlink'].reduce(
    (n, p) => n + (figures.byPoint[p] ?? 0),
    0
  )
  expect(filePhase).toBeGreaterThan(0)
})

it(
  `survives ${RUNS_0_7_8} SIGKILLs on a msb 0.7.8 home: rows whole, no lock file lost`,
  { timeout: 120_000 },
  async () => {
    const figures = await crashRuns({ base: base078, runs: RUNS_0_7_8, seed: 20261009, msb078: true })
    console.log(
      `crash runs (msb 0.7.8 home): ${figures.runs} (killed ${figures.killed}, finished first ${figures.finished}), by point ${JSON.stringify(figures.byPoint)}, ${(figures.ms / 1000).toFixed(1)} s`
    )
    expect(figures.failures).toEqual([])
    expect(figures.runs).toBe(RUNS_0_7_8)
    const filePhase = ['after-commit', 'mid-move', 'after-move', 'mid-unlink'].reduce(
      (n, p) => n + (figures.byPoint[p] ?? 0),
      0
    )
    expect(filePhase).toBeGreaterThan(0)
  }
)
