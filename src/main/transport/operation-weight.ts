// The worker split: operations whose table row (src/shared/operations.ts) says `heavy` may take long
// enough to freeze a window if run on the Electron main thread.
//
// Light reads (status, list, get, inspect) answer from a few indexed rows and stay in-process, so the
// table keeps refreshing while a prune runs in the worker; heavy ones walk the cache directory or
// delete files and go to the worker (core-worker.ts).
//
// A plan and its execution must reach the same `Cache` (it remembers the plans it showed, by
// fingerprint, so a confirmation deletes no more than was shown): removePlan/remove and
// prunePlan/prune are therefore all heavy, and the test of this file holds that pairing.
//
// openDemo is heavy too: it runs msb for about a second to build the demo cache. The worker's core
// moves itself to the demo home, and the session (cache-session.ts) moves the in-process one after it.
import type { AsyncCacheApi, CallableCacheApi, CallOptions } from '../../shared/contract'
import { HEAVY_OPERATIONS, OPERATIONS } from '../../shared/operations'

/** Routes heavy operations to `heavy` (the worker) and the rest to `light` (the in-process core). */
export function routeByWeight(light: CallableCacheApi, heavy: AsyncCacheApi): AsyncCacheApi {
  const entries = OPERATIONS.map((op) => {
    const target = HEAVY_OPERATIONS.has(op)
      ? (args: unknown, options?: CallOptions) =>
          (heavy[op] as (a: unknown, o?: CallOptions) => Promise<unknown>).call(heavy, args, options)
      : async (args: unknown, options?: CallOptions) =>
          (light[op] as (a: unknown, o?: CallOptions) => unknown).call(light, args, options)
    return [op, target]
  })
  return Object.fromEntries(entries)
}
