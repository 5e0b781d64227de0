// A remove plan reads only what the removed images touch (touched-state.ts). It must decide exactly
// what a decision on the whole cache decides: for every reference of the standard cache and of a
// random one, alone and in pairs, with and without force, the plans (rows, files, bytes, kept,
// fingerprint) or the refusals are identical.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildScenario, randomScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { CacheFiles } from '../files/cache-files'
import { readCacheState } from '../database/cache-state'
import { decideRemove, indexState } from './deletion-plan'
import { filesOf, toDeletionPlan } from './plan-files'
import { readTouchedState } from './touched-state'

const seed = Number(process.env.ICE_SEED ?? Date.now()) % 2 ** 31
console.log(`touched-state: random cache seed ${seed} (replay with ICE_SEED=${seed})`)

const homes: { name: string; home: string }[] = []

beforeAll(() => {
  for (const [name, scenario] of [
    ['standard', standardScenario()],
    [`random seed=${seed}`, randomScenario(seed, 30)]
  ] as const) {
    const home = mkdtempSync(join(tmpdir(), 'ice-touched-'))
    buildScenario(home, scenario)
    homes.push({ name, home })
  }
})
afterAll(() => {
  for (const { home } of homes) rmSync(home, { recursive: true, force: true })
})

type Outcome = { plan: ReturnType<typeof toDeletionPlan>; heldBy: unknown } | { refused: string }

function outcome(
  run: () => ReturnType<typeof decideRemove>,
  state: Parameters<typeof filesOf>[1],
  files: CacheFiles
): Outcome {
  try {
    const decision = run()
    return { plan: toDeletionPlan(decision, filesOf(decision, state, files)), heldBy: decision.heldBy }
  } catch (error) {
    return { refused: `${(error as { code?: string }).code}: ${(error as Error).message}` }
  }
}

describe('readTouchedState', () => {
  it('plans every remove exactly as the whole state does', () => {
    for (const { name, home } of homes) {
      const db = new Database(join(home, 'db', 'msb.db'), { readonly: true })
      const files = new CacheFiles(join(home, 'cache'))
      try {
        const full = readCacheState(db)
        const fullIx = indexState(full)
        const references = full.refs.map((r) => r.reference)
        const cases = [...references.map((r) => [r]), ...references.slice(1).map((r, i) => [references[i], r])]
        let planned = 0
        for (const refs of cases) {
          for (const force of [false, true]) {
            const touched = readTouchedState(db, refs)
            const expected = outcome(() => decideRemove(full, refs, force, fullIx), full, files)
            const actual = outcome(() => decideRemove(touched.state, refs, force, touched.ix), touched.state, files)
            expect(actual, `${name}: remove ${refs.join(' + ')}${force ? ' --force' : ''}`).toEqual(expected)
            if ('plan' in expected && expected.plan.files.length > 0) planned++
          }
        }
        // The comparison covered plans that delete files, not only refusals.
        expect(planned).toBeGreaterThan(references.length)
      } finally {
        db.close()
      }
    }
  })
})
