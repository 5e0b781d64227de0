// The explorer beside a running msb. First, deterministically: a file msb starts to use again while
// the explorer holds it aside (its grace period) is put back. Then the loop of
// testing/concurrency-runs.ts: msb loads images that share layers while the explorer prunes and
// removes in another process; no image msb lists may end up missing a file. The same loop with
// `msb image prune -y` is compared in `npm run soak` only (it asserts nothing). The loops run here at
// smoke size, a few seconds each; `npm run soak` runs them for minutes.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RemoveResult } from '../../../shared/contract'
import { buildCache } from '../../demo/build-cache'
import { buildScenario, type BuiltScenario } from '../../../../test-support/fixtures/scenarios'
import { TRASH_DIR } from './file-removal'
import { copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import {
  concurrencyRun,
  describeConcurrency,
  unnamedHomeRounds,
  writeChurnArchives
} from '../../../../test-support/core/concurrency-runs'
import type { CrashOrder } from '../../../../test-support/core/crash-child'
import { startChild } from '../../../../test-support/core/crash-runs'
import { checkImages } from '../../../../test-support/core/image-integrity'
import { smallImage, smallScenario } from '../../../../test-support/core/small-scenario'

/** Smoke size: long enough for a few dozen loads beside a few prunes and removes (soak: 300 s). */
const SECONDS = 4
/** The second msb release: the same loop, shorter. */
const SECONDS_0_7 = 3
/** Rounds of an unnamed home's load racing the explorer's prune: until that many loads finished, at most 60. */
const UNNAMED_LOADS = 6
const dirs: string[] = []
let archives: string[]
let small: string
let smallBuilt: BuiltScenario

beforeAll(() => {
  const dir = tempDir('ice-churn-')
  dirs.push(dir)
  archives = writeChurnArchives(dir)
  small = join(dir, 'small')
  smallBuilt = buildScenario(small, smallScenario())
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/**
 * Removes `localhost/solo:1` in a child with a long grace period (waited whatever the signs of a
 * concurrent msb say, unless `graceAlways` is false); `before` runs first, and once the layer file
 * has been moved aside, `during` (what a concurrent msb would do); then returns the child's result.
 */
async function removeSoloWhile(
  during: (home: string) => void,
  { graceAlways = true, before = () => {} }: { graceAlways?: boolean; before?: (home: string) => void } = {}
): Promise<{ home: string; result: RemoveResult }> {
  const home = copyHome(small)
  dirs.push(dirname(home))
  before(home)
  const child = startChild()
  await child.ready
  // The grace period lasts until `during` is done (a long one at most), not a fixed time.
  const graceEnds = join(dirname(home), 'grace-ends')
  const order: CrashOrder = {
    home,
    operation: { op: 'remove', references: ['localhost/solo:1'], force: false },
    graceMs: 30_000,
    graceAlways,
    graceEndsWhen: graceEnds
  }
  child.child.stdin!.end(`${JSON.stringify(order)}\n`)
  const trash = join(home, 'cache', 'tmp', TRASH_DIR)
  const deadline = Date.now() + 20_000
  const asideLayer = () => {
    try {
      return readdirSync(trash).some((id) => readdirSync(join(trash, id)).some((f) => f.startsWith('layers__')))
    } catch {
      return false
    }
  }
  while (!asideLayer()) {
    if (Date.now() > deadline) throw new Error('the layer file was never moved aside')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  during(home)
  writeFileSync(graceEnds, '')
  const exit = await child.exited
  const line = exit.output.split('\n').find((l) => l.startsWith('done '))
  if (!line) throw new Error(`remove failed: ${exit.output}`)
  return { home, result: JSON.parse(line.slice('done '.length)) as RemoveResult }
}

describe('files msb uses again during the grace period', () => {
  const soloLayer = () => smallBuilt.references.get('localhost/solo:1')!.layers[0].diffId
  const layerPath = (home: string) => join(home, 'cache', 'layers', `${soloLayer().replace(':', '_')}.erofs`)

  it('msb loads an image with the layer while it is aside: msb rebuilds it, the explorer keeps that copy', async () => {
    const { home, result } = await removeSoloWhile((h) => {
      // Same layer, another image: msb finds no layer file, builds it again and records the row.
      buildCache(h, [
        { reference: 'localhost/solo-again:1', image: { ...smallImage('solo', [], 8), config: { cmd: ['again'] } } }
      ])
    })
    expect(result.removed).toEqual(['localhost/solo:1'])
    expect(result.differences.join('\n')).toContain('used again by a concurrent msb; put back')
    expect(statSync(layerPath(home)).isFile()).toBe(true)
    const report = checkImages(home)
    expect(report.references).toContain('localhost/solo-again:1')
    expect(report.broken).toEqual([])
  })

  it('msb records the layer again while it is aside (it had reused the file just before): the file goes back', async () => {
    const before = statSync(layerPath(small))
    const { home, result } = await removeSoloWhile((h) => {
      const db = new Database(join(h, 'db', 'msb.db'))
      db.prepare(
        `INSERT INTO layer (diff_id, blob_digest, media_type, compressed_size_bytes, erofs_size_bytes, created_at, last_used_at)
         VALUES (?, 'sha256:${'1'.repeat(64)}', NULL, 1, NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00')`
      ).run(soloLayer())
      db.close()
    })
    expect(result.differences.join('\n')).toContain('put back')
    const after = statSync(layerPath(home))
    expect(after.size).toBe(before.size)
    expect(result.layersRemoved).toBe(1)
  })

  it('unasked: an msb with the database open records the layer again while it is aside: the removal waited, the file goes back', async () => {
    const before = statSync(layerPath(small))
    let db: Database.Database | null = null
    try {
      const { home, result } = await removeSoloWhile(
        () => {
          // What msb does right after finding the file present: it opens the database, then records the row.
          db!
            .prepare(
              `INSERT INTO layer (diff_id, blob_digest, media_type, compressed_size_bytes, erofs_size_bytes, created_at, last_used_at)
             VALUES (?, 'sha256:${'2'.repeat(64)}', NULL, 1, NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00')`
            )
            .run(soloLayer())
        },
        {
          graceAlways: false,
          before: (h) => {
            db = new Database(join(h, 'db', 'msb.db'))
            db.prepare('SELECT COUNT(*) FROM image_ref').get()
          }
        }
      )
      expect(result.differences.join('\n')).toContain('put back')
      expect(statSync(layerPath(home)).size).toBe(before.size)
    } finally {
      ;(db as Database.Database | null)?.close()
    }
  })
})

it(
  `leaves every image whole while msb loads for ${SECONDS} s beside the explorer's prunes and removes`,
  { timeout: 90_000 },
  async () => {
    const ours = await concurrencyRun('ours', archives, SECONDS * 1000, undefined, { loads: 4, operations: 3 })
    console.log(`concurrency ${describeConcurrency(ours)}`)
    expect(ours.cleanup.errors).toEqual([])
    expect(ours.broken).toEqual([])
    expect(ours.missingFiles).toEqual([])
    expect(ours.loads).toBeGreaterThan(3)
    expect(ours.cleanup.prunes + ours.cleanup.removes).toBeGreaterThan(2)
    expect(ours.imagesChecked).toBeGreaterThan(0)
  }
)

it(
  `a home the explorer was not told about (its paths.cache is this cache) loads fresh images while the explorer prunes them (until ${UNNAMED_LOADS} loads finish): none loses a file`,
  { timeout: 120_000 },
  async () => {
    // Issue 26: its image records were read once, inside the prune's transaction, so a record written
    // later did not stop the unlink of the files it names. Without the re-read before each unlink this
    // loop breaks about half of the images whose load finishes (5 of 9 when tried).
    const f = await unnamedHomeRounds(60, undefined, undefined, UNNAMED_LOADS)
    console.log(
      `unnamed home: ${f.rounds} rounds, ${f.loadFailures.length} msb loads failed (msb's own, as beside its own prune), ` +
        `${f.broken.length} broken, ${f.putBack} files put back`
    )
    expect(f.broken).toEqual([])
    // The race was really run: loads finished while their files were aside, and were kept.
    expect(f.rounds - f.loadFailures.length).toBe(UNNAMED_LOADS)
  }
)

it(
  `leaves every image whole while msb 0.7.2 loads for ${SECONDS_0_7} s beside the explorer's prunes and removes`,
  { timeout: 90_000 },
  async () => {
    const ours = await concurrencyRun('ours', archives, SECONDS_0_7 * 1000, '0.7.2', { loads: 4, operations: 3 })
    console.log(`concurrency ${describeConcurrency(ours)}`)
    // An `msb load` beside a prune can fail now and then (it then fetches a layer from the reference's
    // registry), with msb's own prune as with the explorer's, on both releases: counted, not asserted.
    expect(ours.cleanup.errors).toEqual([])
    expect(ours.broken).toEqual([])
    expect(ours.missingFiles).toEqual([])
    expect(ours.loads).toBeGreaterThan(3)
    expect(ours.cleanup.prunes + ours.cleanup.removes).toBeGreaterThan(2)
    expect(ours.imagesChecked).toBeGreaterThan(0)
  }
)
