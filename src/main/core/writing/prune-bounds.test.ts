// A prune removes at most what it decided when it began. An image msb loads while it runs is left for
// the next prune: taking it too, batch after batch, let a steady stream of loads keep a prune going (as
// concurrency.test.ts's loop did on a loaded machine).
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { OperationProgress } from '../../../shared/contract'
import { buildCache } from '../../demo/build-cache'
import { copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { checkImages } from '../../../../test-support/core/image-integrity'
import { smallImage, smallScenario } from '../../../../test-support/core/small-scenario'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'

const dirs: string[] = []
let small: string

beforeAll(() => {
  const dir = tempDir('ice-prune-bounds-')
  dirs.push(dir)
  small = join(dir, 'small')
  buildScenario(small, smallScenario())
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

it('an image msb loads while a prune runs (after its first batch) stays, whole; the rest goes', () => {
  const home = copyHome(small)
  dirs.push(dirname(home))
  // One lease a batch: the prune of the small home is many batches, each deciding again after msb's load.
  const cache = openCache({ home, leaseBatch: 1 })
  let loaded = false
  const onProgress = (p: OperationProgress) => {
    if (loaded || p.operation !== 'prune' || p.phase !== 'removing') return
    loaded = true
    buildCache(home, [{ reference: 'localhost/arrived:1', image: smallImage('arrived', [], 8) }])
  }
  try {
    const before = cache.list().map((i) => i.reference)
    const result = cache.prune({ scope: { kind: 'unused' } }, { onProgress })
    expect(loaded).toBe(true)
    const after = cache.list().map((i) => i.reference)
    expect(after).toContain('localhost/arrived:1')
    // What was there at the start and not in use went (the prune did run its batches).
    expect(result.report.imageRefsRemoved).toBeGreaterThan(1)
    expect(after.filter((r) => before.includes(r)).length).toBe(before.length - result.report.imageRefsRemoved)
  } finally {
    cache.close()
  }
  expect(checkImages(home).broken).toEqual([])
})
