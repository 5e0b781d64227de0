// Finishing removals that a killed process left behind (see removal-journal.ts for the journal and the
// lock). Every write operation runs this first; it is safe at any time, also beside a live removal,
// whose lock it cannot take.
import { lstatSync } from 'node:fs'
import type Database from 'better-sqlite3'
import { contentDirectory } from '../homes/cache-paths'
import { type FileOutcome, FileRemoval, type GracePeriod, restore, trashDirectory } from './file-removal'
import { OwnerLock } from '../locks/owner-lock'
import { journalIds, ownerLockPath, readJournal } from './removal-journal'

const NO_GRACE: GracePeriod = { ms: 0, needed: () => false }

/**
 * Finishes every interrupted removal in the cache: files still referenced by any home the journal
 * names (or by this one) go back, the rest go. Returns what it did, file by file.
 */
export function recoverInterrupted(
  cacheDir: string,
  db: Database.Database,
  grace: GracePeriod = NO_GRACE
): FileOutcome[] {
  const trash = trashDirectory(cacheDir, false)
  if (!('path' in trash)) return []
  const outcomes: FileOutcome[] = []
  for (const id of journalIds(trash.path)) {
    // A removal whose process still runs holds its lock: it may be inside its transaction or its grace
    // period (another window, the CLI). Its journal is left alone.
    const lock = OwnerLock.tryAcquire(ownerLockPath(trash.path, id))
    if (!lock) continue
    const journal = readJournal(`${trash.path}/${id}`)
    // The homes the dead writer consulted, except this one (its own database is `db`).
    const others = (journal?.homes ?? []).filter((h) => h.dbPath !== db.name)
    const removal = new FileRemoval(cacheDir, trash.path, id, others, lock)
    if (!journal) {
      // The writer died before its journal was complete, so before its commit: nothing was moved.
      removal.close()
      continue
    }
    // Files already moved aside go back first; `finish` then handles every file the normal way.
    for (const f of journal.files) {
      const real = contentDirectory(cacheDir, f.path.split('/')[0])
      for (const aside of removal.asidePaths(f.path, real)) {
        if (real && lstatSync(aside, { throwIfNoEntry: false })) restore(aside, `${real}/${f.path.split('/')[1]}`)
      }
    }
    // With the same grace as a fresh removal: a concurrent msb may be about to record one of them.
    outcomes.push(...removal.finish(journal.files, db, grace))
  }
  return outcomes
}
