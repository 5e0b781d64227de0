// The other side of the concurrency test: removes and prunes in a loop, in its own process so it truly
// runs beside `msb load`. `ours` uses the explorer's core (prune of unused images, and removal of a
// random reference now and then); `msb` runs `msb image prune -y`, for comparison. Prints its figures as
// one line of JSON when the time is up.
//   node --import tsx test-support/core/cleanup-loop.ts '{"home":…,"mode":"ours","durationMs":15000}'
import { CacheError } from '../../src/shared/errors'
import { runMsb } from '../../src/main/demo/msb'
import { openCache } from '../../src/main/core/cache'

export interface CleanupOrder {
  home: string
  mode: 'ours' | 'msb'
  durationMs: number
  /**
   * Goes on past durationMs until this many prunes and removes succeeded (at most 4× durationMs): on a
   * loaded machine the child's own start and a few refusals can fill a short run, which then proves nothing.
   */
  minOperations?: number
  /** References the loop never picks for removal (the pinned image: removing it is refused anyway). */
  spare?: string[]
}

export interface CleanupFigures {
  iterations: number
  prunes: number
  removes: number
  /** Refusals that are part of the game (ImageNotFound after a race, Busy), by code. */
  refusals: Record<string, number>
  /** The first message of each kind of refusal. */
  refusalSamples: Record<string, string>
  /** Anything else: a bug. */
  errors: string[]
  reclaimedBytes: number
  putBack: number
}

function loop(order: CleanupOrder): CleanupFigures {
  const figures: CleanupFigures = {
    iterations: 0,
    prunes: 0,
    removes: 0,
    refusals: {},
    refusalSamples: {},
    errors: [],
    reclaimedBytes: 0,
    putBack: 0
  }
  const started = Date.now()
  const deadline = started + order.durationMs
  const latest = started + 4 * order.durationMs
  const enough = () => figures.prunes + figures.removes >= (order.minOperations ?? 0)
  const cache = order.mode === 'ours' ? openCache({ home: order.home }) : null
  const pause = new Int32Array(new SharedArrayBuffer(4))
  while (Date.now() < deadline || (!enough() && Date.now() < latest)) {
    figures.iterations++
    // A short random pause, as a person or a timer would leave, so msb is not starved of the write lock.
    Atomics.wait(pause, 0, 0, Math.floor(Math.random() * 60))
    if (!cache) {
      const r = runMsb(order.home, ['image', 'prune', '-y', '--format', 'json'], { allowFail: true })
      if (r.status === 0) {
        figures.prunes++
        figures.reclaimedBytes += (JSON.parse(r.stdout) as { bytes_reclaimed: number | null }).bytes_reclaimed ?? 0
      } else figures.errors.push(r.stderr.trim())
      continue
    }
    try {
      if (Math.random() < 0.5) {
        const result = cache.prune({ scope: { kind: 'unused' } })
        figures.prunes++
        figures.reclaimedBytes += result.report.bytesReclaimed ?? 0
        figures.putBack += result.differences.filter((d) => d.includes('put back')).length
      } else {
        const images = cache.list().filter((i) => !order.spare?.includes(i.reference))
        if (images.length === 0) continue
        const reference = images[Math.floor(Math.random() * images.length)].reference
        const result = cache.remove({ references: [reference], force: false })
        figures.removes++
        figures.reclaimedBytes += result.bytesReclaimed
        figures.putBack += result.differences.filter((d) => d.includes('put back')).length
      }
    } catch (error) {
      const code = error instanceof CacheError ? error.code : 'Internal'
      if (code === 'ImageNotFound' || code === 'ImageInUse' || code === 'Busy') {
        figures.refusals[code] = (figures.refusals[code] ?? 0) + 1
        figures.refusalSamples[code] ??= (error as Error).message
      } else figures.errors.push(`${code}: ${(error as Error).message}`)
    }
  }
  cache?.close()
  return figures
}

const order = JSON.parse(process.argv[2] ?? '{}') as CleanupOrder
process.stdout.write(`${JSON.stringify(loop(order))}\n`)
