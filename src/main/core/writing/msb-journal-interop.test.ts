// The explorer's own removal journal beside msb's (the decision in removal-journal.ts): an explorer
// killed at any point of a prune or remove leaves nothing msb 0.7.3+'s recovery would mishandle. Smoke
// size: one SIGKILL at each named point. After each: what msb 0.7.3+ runs first (its journal recovery,
// ported in msb-deletion-journals.ts) leaves every image a row names whole, does not touch the
// explorer's trash, and leaves msb's own active journal and its locks as they were; then the
// explorer's next write finishes its own journal and still leaves msb's alone.
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { holdFlock, writeMsbJournal } from '../../../../test-support/core/journal-homes'
import { copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { CRASH_POINTS, startChild } from '../../../../test-support/core/crash-runs'
import type { CrashOrder } from '../../../../test-support/core/crash-child'
import { missingFiles } from '../../../../test-support/core/image-integrity'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { isMsbAvailable } from '../../demo/msb'
import { openCache } from '../cache'
import { TRASH_DIR } from './file-removal'
import { layerFileName } from '../homes/file-names'
import { recoverMsbJournals } from '../files/msb-deletion-journals'

let dir: string
let base: string
/** The journal msb is running in every copy: it deletes the layer of one image whose rows it removed. */
let journaled: string

beforeAll(() => {
  dir = tempDir('ice-journal-interop-')
  base = join(dir, 'home')
  buildScenario(base, smallScenario(), { msb: '0.7.2' })
  // An image msb is deleting right now: its rows are gone, its layer is linked in a live journal.
  const db = new Database(join(base, 'db', 'msb.db'))
  const orphan = db
    .prepare(
      `SELECT l.id, l.diff_id FROM layer l WHERE (SELECT COUNT(*) FROM manifest_layer ml WHERE ml.layer_id = l.id) = 1 LIMIT 1`
    )
    .get() as { id: number; diff_id: string }
  journaled = `layers/${layerFileName(orphan.diff_id)}`
  db.prepare('DELETE FROM manifest_layer WHERE layer_id = ?').run(orphan.id)
  db.prepare('DELETE FROM layer WHERE id = ?').run(orphan.id)
  db.close()
  writeMsbJournal(join(base, 'cache'), { files: [journaled] })
}, 180_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** msb's journal folder, every member with its inode: what must stay exactly as it is. */
function msbJournalState(home: string): string {
  const folder = join(home, 'cache', '.image-deletions')
  const out = spawnSync('find', [folder, '-printf', '%P %i %n\\n'], { encoding: 'utf8' })
  return out.stdout.split('\n').sort().join('\n')
}

const trashEntries = (home: string) => {
  try {
    return readdirSync(join(home, 'cache', 'tmp', TRASH_DIR)).sort()
  } catch {
    return []
  }
}

it.skipIf(!isMsbAvailable('0.7.2'))(
  'killed at every point beside a running msb journal, nothing msb recovery does goes wrong',
  { timeout: 180_000 },
  async () => {
    const problems: string[] = []
    const operations: CrashOrder['operation'][] = [
      { op: 'prune', scope: { kind: 'unused' } },
      { op: 'remove', references: ['localhost/web:1', 'localhost/solo:1'], force: true }
    ]
    let next = startChild()
    try {
      for (const [i, crashAt] of CRASH_POINTS.entries()) {
        const home = copyHome(base, 'ice-interop-')
        const folder = join(home, 'cache', '.image-deletions')
        const active = join(
          folder,
          readdirSync(folder).find((n) => n.startsWith('delete-'))!,
          'active.lock'
        )
        const holder = await holdFlock([active], 'exclusive')
        try {
          const before = msbJournalState(home)
          const warm = next
          await warm.ready
          const order: CrashOrder = { home, operation: operations[i % 2], graceMs: 0, crashAt }
          warm.child.stdin!.end(`${JSON.stringify(order)}\n`)
          next = startChild()
          const exit = await warm.exited
          const at = `${order.operation.op} killed at ${crashAt}`
          if (exit.signal !== 'SIGKILL') problems.push(`${at}: not killed (${exit.output.trim()})`)
          // What msb 0.7.3+ runs first on its next rm or prune.
          const trash = trashEntries(home)
          const db = new Database(join(home, 'db', 'msb.db'))
          const recovery = recoverMsbJournals(join(home, 'cache'), db)
          db.close()
          if (recovery.removed.length > 0)
            problems.push(`${at}: msb recovery unlinked ${JSON.stringify(recovery.removed)}`)
          if (JSON.stringify(trashEntries(home)) !== JSON.stringify(trash))
            problems.push(`${at}: msb recovery changed the explorer's trash`)
          const missing = missingFiles(home)
          if (missing.length) problems.push(`${at}: rows point at missing files: ${missing.join(', ')}`)
          if (msbJournalState(home) !== before) problems.push(`${at}: msb's active journal changed`)
          // The explorer's next write finishes its own journal and leaves msb's alone.
          const cache = openCache({ home, graceMs: 0, strayMarginMs: 0 })
          try {
            cache.prune({ scope: { kind: 'dangling' } })
          } finally {
            cache.close()
          }
          if (trashEntries(home).length) problems.push(`${at}: explorer journal left: ${trashEntries(home).join(', ')}`)
          if (msbJournalState(home) !== before) problems.push(`${at}: the explorer changed msb's active journal`)
          const after = missingFiles(home)
          if (after.length)
            problems.push(`${at}: after the next write, rows point at missing files: ${after.join(', ')}`)
        } finally {
          await holder.release()
        }
        if (problems.length === 0) rmSync(dirname(home), { recursive: true, force: true })
      }
    } finally {
      next.child.kill('SIGKILL')
      await next.exited
    }
    expect(problems).toEqual([])
  }
)
