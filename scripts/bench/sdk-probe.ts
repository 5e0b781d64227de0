// Child process that times the Node SDK (`microsandbox` 0.6.18) against one cache. The SDK opens msb's database once
// per process, at the first call, for the home in `MSB_HOME`, so each home gets its own process. Prints one JSON
// line: `{ first, list, inspect, prune, remove, listed }` (ms; see `SdkTimes`).
//
//   MSB_HOME=<home> tsx scripts/bench/sdk-probe.ts reads <reps> <reference>
//   MSB_HOME=<home> tsx scripts/bench/sdk-probe.ts prune
//   MSB_HOME=<home> tsx scripts/bench/sdk-probe.ts remove <reference>...
import { Image } from 'microsandbox'

export interface SdkTimes {
  /** The first call in the process (`Image.list`), which also opens and checks the database. */
  firstMs?: number
  listMs?: number[]
  inspectMs?: number[]
  pruneMs?: number
  report?: unknown
  removeMs?: number[]
  /** References and digests of one list, in order, for the equality check. */
  listed?: [string, string | null][]
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2)
  const out: SdkTimes = {}
  const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now()
    const r = await fn()
    return [performance.now() - t, r]
  }
  if (mode === 'reads') {
    const reps = Number(args[0])
    const reference = args[1]!
    const [first, listed] = await time(() => Image.list())
    out.firstMs = first
    out.listed = listed.map((h) => [h.reference, h.manifestDigest])
    out.listMs = []
    for (let i = 0; i < reps; i++) out.listMs.push((await time(() => Image.list()))[0])
    out.inspectMs = []
    for (let i = 0; i < reps; i++) out.inspectMs.push((await time(() => Image.inspect(reference)))[0])
  } else if (mode === 'prune') {
    // Open the database first so the timed call is the prune alone, as for the core.
    await Image.get('bench.invalid/not-there:none').catch(() => undefined)
    const [ms, report] = await time(() => Image.prune())
    out.pruneMs = ms
    out.report = report
  } else if (mode === 'remove') {
    await Image.get('bench.invalid/not-there:none').catch(() => undefined)
    out.removeMs = []
    for (const reference of args) out.removeMs.push((await time(() => Image.remove(reference)))[0])
  } else {
    throw new Error(`sdk-probe: unknown mode ${mode}`)
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

await main()
