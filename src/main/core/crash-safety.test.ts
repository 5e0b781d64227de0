// SIGKILL at random points of remove and prune (see testing/crash-runs.ts for what one run checks):
// a killed explorer never leaves a row pointing at a missing file, never breaks msb, and whatever it
// left half-done is finished by the next prune.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildScenario } from '../../../test-support/fixtures/scenarios'
import { tempDir } from '../../../test-support/core/cache-dump'
import { crashRuns } from '../../../test-support/core/crash-runs'
import { smallScenario } from '../../../test-support/core/small-scenario'

const RUNS = 51
let dir: string
let base: string

beforeAll(() => {
  dir = tempDir('ice-crash-base-')
  base = join(dir, 'home')
  buildScenario(base, smallScenario())
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
