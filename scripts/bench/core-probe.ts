// Child process that times the explorer's core (`openCache`) against one cache, in a fresh heap like the SDK probe.
// Prints one JSON line (`CoreTimes`).
//
//   tsx scripts/bench/core-probe.ts reads <home> <reps> <reference>
//   tsx scripts/bench/core-probe.ts prune <home> <graceMs>
//   tsx scripts/bench/core-probe.ts remove <home> <reference>...
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { openCache } from '../../src/main/core/cache'
import { type Sample, timeSync } from './timing'

// The SQL of `image-queries.ts` LIST_SQL, for the floor: what better-sqlite3 costs before the core does anything.
const LIST_SQL = `SELECT r.id, r.reference, m.id, m.digest, m.architecture, m.os, m.layer_count, m.total_size_bytes,
  r.created_at, r.updated_at FROM image_ref r LEFT JOIN manifest m ON r.manifest_id = m.id ORDER BY r.created_at DESC`

export interface CoreTimes {
  list?: { cold: Sample; warm: Sample }
  inspect?: { cold: Sample; warm: Sample }
  insight?: { warm: Sample }
  usage?: { cold: Sample; warm: Sample }
  prunePlan?: { cold: Sample; warm: Sample }
  sqliteFloor?: Sample
  listed?: [string, string | null][]
  detail?: unknown
  prune?: Sample
  report?: unknown
  remove?: Sample
  removed?: unknown[]
}

function reads(home: string, reps: number, reference: string): CoreTimes {
  const out: CoreTimes = {}
  const open = () => openCache({ home })
  let cache = open()
  const fresh = () => {
    cache.close()
    cache = open()
  }
  const listCold = timeSync(reps, () => cache.list(), fresh)
  const listWarm = timeSync(reps, () => cache.list())
  out.list = { cold: listCold, warm: listWarm }
  out.listed = cache.list().map((h) => [h.reference, h.manifestDigest])
  out.inspect = {
    cold: timeSync(reps, () => cache.inspect({ reference }), fresh),
    warm: timeSync(reps * 2, () => cache.inspect({ reference }))
  }
  out.detail = cache.inspect({ reference })
  const heavy = Math.max(3, Math.ceil(reps / 3))
  const usageCold = timeSync(heavy, () => cache.usage(), fresh)
  out.usage = { cold: usageCold, warm: timeSync(reps, () => cache.usage()) }
  const planCold = timeSync(heavy, () => cache.prunePlan({ scope: { kind: 'unused' } }), fresh)
  out.prunePlan = { cold: planCold, warm: timeSync(heavy, () => cache.prunePlan({ scope: { kind: 'unused' } })) }
  out.insight = { warm: timeSync(reps, () => cache.insight({ reference })) }
  cache.close()
  const db = new Database(join(home, 'db', 'msb.db'), { readonly: true })
  const raw = db.prepare(LIST_SQL).raw()
  out.sqliteFloor = timeSync(reps, () => raw.all())
  db.close()
  return out
}

function prune(home: string, graceMs: number): CoreTimes {
  const cache = openCache({ home, graceMs })
  cache.list() // open the database, as the SDK probe does before its timed call
  let report: unknown
  const sample = timeSync(1, () => {
    report = cache.prune({ scope: { kind: 'unused' } }).report
  })
  cache.close()
  return { prune: sample, report }
}

function remove(home: string, references: string[]): CoreTimes {
  const cache = openCache({ home })
  cache.list()
  const removed: unknown[] = []
  const sample = timeSync(references.length, (i) =>
    removed.push(cache.remove({ references: [references[i]], force: false }))
  )
  cache.close()
  return { remove: sample, removed }
}

const [mode, home, ...args] = process.argv.slice(2)
if (!home) throw new Error('core-probe: usage: core-probe.ts <reads|prune|remove> <home> ...')
const out =
  mode === 'reads'
    ? reads(home, Number(args[0]), args[1])
    : mode === 'prune'
      ? prune(home, Number(args[0]))
      : mode === 'remove'
        ? remove(home, args)
        : (() => {
            throw new Error(`core-probe: unknown mode ${mode}`)
          })()
process.stdout.write(`${JSON.stringify(out)}\n`)
