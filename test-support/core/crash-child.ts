// A process to kill: crash-safety.test.ts (and scripts/soak.ts) start it ahead of time so its start-up
// cost is paid while the previous run is being checked. It loads the core, prints `ready`, waits for
// one line of JSON naming the home and the operation, runs it, prints `done <result JSON>` and exits. The parent
// kills it with SIGKILL after a random delay, or sets `crashAt` so the core kills itself at a named
// point (see `crashPoint` in file-removal.ts).
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { openCache } from '../../src/main/core/cache'

export type CrashOperation =
  | { op: 'remove'; references: string[]; force: boolean }
  | { op: 'prune'; scope: { kind: 'unused' } | { kind: 'dangling' } | { kind: 'images'; references: string[] } }

export interface CrashOrder {
  home: string
  operation: CrashOperation
  graceMs: number
  /** Wait the grace period even when nothing says an msb is at work. */
  graceAlways?: boolean
  /** EXPLORER_CRASH_AT for this run, if any. */
  crashAt?: string
  /**
   * The grace period ends as soon as this file exists (at the latest after graceMs): the parent
   * creates it once it has done what a concurrent msb would do, so no test waits a fixed time.
   */
  graceEndsWhen?: string
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/** A blocking wait of up to `ms` that ends early once `file` exists. */
function waitUntilExists(file: string): (ms: number) => void {
  return (ms) => {
    const until = Date.now() + ms
    while (!existsSync(file) && Date.now() < until) Atomics.wait(pause, 0, 0, 5)
  }
}

function run(order: CrashOrder): unknown {
  if (order.crashAt) process.env.EXPLORER_CRASH_AT = order.crashAt
  const cache = openCache({
    home: order.home,
    graceMs: order.graceMs,
    graceAlways: order.graceAlways,
    graceWait: order.graceEndsWhen ? waitUntilExists(order.graceEndsWhen) : undefined,
    strayMarginMs: 0
  })
  const o = order.operation
  const result =
    o.op === 'remove' ? cache.remove({ references: o.references, force: o.force }) : cache.prune({ scope: o.scope })
  cache.close()
  return result
}

const lines = createInterface({ input: process.stdin })
let ordered = false
// The parent went away without an order (it was killed, or the run was cancelled): nothing to do.
lines.once('close', () => {
  if (!ordered) process.exit(0)
})
lines.once('line', (line) => {
  ordered = true
  try {
    const result = run(JSON.parse(line) as CrashOrder)
    process.stdout.write(`done ${JSON.stringify(result)}\n`)
    process.exitCode = 0
  } catch (error) {
    process.stdout.write(`error ${(error as Error).message}\n`)
    process.exitCode = 1
  }
  lines.close()
})
process.stdout.write('ready\n')
