// Child process that times the Node SDK (`microsandbox` 0.6.18) against one cache. The SDK opens msb's database once
// per process, at the first call, for the home in `MSB_HOME`, so each home gets its own process. Prints one JSON
// line (`SdkTimes`).
//
//   MSB_HOME=<home> tsx scripts/bench/sdk-probe.ts reads <reps> <reference>
//   MSB_HOME=<home> tsx scripts/bench/sdk-probe.ts prune
//   MSB_HOME=<home> tsx scripts/bench/sdk-probe.ts remove <reference>...
import { Image } from 'microsandbox'
import { type Sample, timeAsync } from './timing'

export interface SdkTimes {
  /** The first call in the process (`Image.list`), which also opens and checks the database. */
  first?: Sample
  list?: Sample
  inspect?: Sample
  prune?: Sample
  report?: unknown
  remove?: Sample
  /** References and digests of one list, in order, for the equality check. */
  listed?: [string, string | null][]
}

/** Opens the database (the SDK does so at its first call) so the timed calls that follow are the operation alone. */
const openDatabase = () => Image.get('bench.invalid/not-there:none').catch(() => undefined)

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2)
  const out: SdkTimes = {}
  if (mode === 'reads') {
    const reps = Number(args[0])
    const reference = args[1]
    out.first = await timeAsync(1, async () => {
      out.listed = (await Image.list()).map((h) => [h.reference, h.manifestDigest])
    })
    out.list = await timeAsync(reps, () => Image.list())
    out.inspect = await timeAsync(reps * 2, () => Image.inspect(reference))
  } else if (mode === 'prune') {
    await openDatabase()
    out.prune = await timeAsync(1, async () => {
      out.report = await Image.prune()
    })
  } else if (mode === 'remove') {
    await openDatabase()
    out.remove = await timeAsync(args.length, (i) => Image.remove(args[i]))
  } else {
    throw new Error(`sdk-probe: unknown mode ${mode}`)
  }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

await main()
