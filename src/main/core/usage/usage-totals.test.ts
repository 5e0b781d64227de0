// The usage view's prune totals are summed without building the prune's file list (usage-report.ts). They
// must stay the very `totalBytes` of the prune plans, which are built from the file list, in every cache the
// summing treats differently: one with image records no reference of this home owns (another home's
// `paths.cache` pointing here), one shared with homes not named, one shared with named homes, and one with
// stray files. Each is built by the real msb 0.6.18; the plans are the oracle.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMsb } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { type Cache, type CacheOptions, openCache } from '../cache'

let root: string
const archives: Record<string, string> = {}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-usage-totals-'))
  const images: Record<string, string[]> = { a: ['shared', 'a-only'], a2: ['a2-only'], b: ['shared', 'b-only'] }
  for (const [name, seeds] of Object.entries(images)) {
    archives[name] = join(root, `${name}.tar`)
    writeOciArchive(archives[name], [
      { layers: seeds.map((seed) => ({ seed, sizeBytes: 4096 })), config: { cmd: ['sh'] } }
    ])
  }
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

const load = (home: string, image: string, reference: string) =>
  runMsb(home, ['load', '-q', '-i', archives[image], '-t', reference])

function withCache<T>(options: CacheOptions, work: (cache: Cache) => T): T {
  const cache = openCache({ strayMarginMs: 0, ...options })
  try {
    return work(cache)
  } finally {
    cache.close()
  }
}

/** Usage's totals, and each reference's selection figure, against the plans built from file lists. */
function expectTotalsEqualPlans(cache: Cache): { keptFiles: number; danglingFiles: number } {
  const usage = cache.usage()
  const unused = cache.prunePlan({ scope: { kind: 'unused' } })
  const dangling = cache.prunePlan({ scope: { kind: 'dangling' } })
  expect(usage.reclaimableBytes).toBe(unused.totalBytes)
  expect(usage.danglingBytes).toBe(dangling.totalBytes)
  expect(usage.dangling.reduce((n, d) => n + d.bytes, 0)).toBe(dangling.totalBytes)
  for (const image of usage.images) {
    const plan = cache.removePlan({ references: [image.reference], force: true })
    expect(cache.selectionUsage({ references: [image.reference] }).freedBytes, image.reference).toBe(plan.totalBytes)
  }
  return { keptFiles: unused.keptFiles.length, danglingFiles: dangling.files.length }
}

describe('usage totals equal the prune plans where the plan keeps files back', () => {
  it("with another home's image records in this home's cache (its paths.cache points here)", () => {
    const homeA = join(root, 'pointed', 'home-a')
    const homeB = join(root, 'pointed', 'home-b')
    mkdirSync(homeB, { recursive: true })
    writeFileSync(join(homeB, 'config.json'), JSON.stringify({ paths: { cache: join(homeA, 'cache') } }))
    load(homeA, 'a', 'localhost/a:1')
    load(homeA, 'a2', 'localhost/a2:1')
    load(homeB, 'b', 'localhost/b:1')
    const seen = withCache({ home: homeA }, expectTotalsEqualPlans)
    // The records name B's files: the prune keeps the layer a shares with b, and B's files are not strays.
    expect(seen.keptFiles).toBeGreaterThan(0)
    expect(seen.danglingFiles).toBe(0)
  })

  it('in a cache shared with homes that are not named, and with the homes named', () => {
    const shared = join(root, 'shared', 'cache')
    const homes = [0, 1].map((i) => join(root, 'shared', `home${i}`))
    for (const home of homes) {
      mkdirSync(home, { recursive: true })
      writeFileSync(join(home, 'config.json'), JSON.stringify({ paths: { cache: shared } }))
    }
    load(homes[0], 'a', 'localhost/a:1')
    load(homes[0], 'a2', 'localhost/a2:1')
    load(homes[1], 'a', 'localhost/a:1')
    load(homes[1], 'b', 'localhost/b:1')
    expect(withCache({ home: homes[0] }, expectTotalsEqualPlans).keptFiles).toBeGreaterThan(0)
    expect(withCache({ home: homes[0], alsoHomes: [homes[1]] }, expectTotalsEqualPlans).keptFiles).toBeGreaterThan(0)
  })

  it('with stray files, old and fresh, beside the images', () => {
    const home = join(root, 'strays')
    load(home, 'a', 'localhost/a:1')
    load(home, 'b', 'localhost/b:1')
    const stray = (path: string, old: boolean) => {
      const file = join(home, 'cache', path)
      writeFileSync(file, 'x'.repeat(1000))
      if (old) utimesSync(file, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000))
    }
    stray(`layers/sha256_${'1'.repeat(64)}.erofs`, true)
    stray(`fsmeta/sha256_${'2'.repeat(64)}.erofs`, true)
    stray(`vmdk/sha256_${'3'.repeat(64)}.vmdk`, false)
    stray(`manifests/${'4'.repeat(64)}.json.partial`, true)
    const seen = withCache({ home, strayMarginMs: 60_000 }, expectTotalsEqualPlans)
    // The two old strays with names msb could have written; not the fresh one, not the download leftover.
    expect(seen.danglingFiles).toBe(2)
  })
})
