// A lock that dies with the process holding it, to tell a removal in progress from one a killed
// process left behind.
//
// Why this and not something simpler: Node's `fs` has no flock; a file created with `wx` or a pid
// written into a name survives its process (and a pid check is fooled while the killed process is a
// zombie, or after the pid is reused). SQLite, already in the project through better-sqlite3, takes
// POSIX advisory locks on its database file and the kernel drops those the moment the process exits,
// zombie or not. So the lock is an open EXCLUSIVE transaction on a small side database; whoever can
// start an EXCLUSIVE transaction on it knows nobody else holds it. SQLite also tracks its locks across
// connections inside one process, so a second window or worker of the same process sees the lock too.
import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { noteDatabaseFiles } from '../database/database-inodes'

export class OwnerLock {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string
  ) {}

  /** Takes the lock at `path` (creating the file), or answers null when another process or connection holds it. */
  static tryAcquire(path: string): OwnerLock | null {
    let db: Database.Database
    try {
      db = new Database(path, { timeout: 0 })
    } catch (error) {
      if (isBusy(error)) return null
      throw error
    }
    try {
      db.pragma('busy_timeout = 0')
      // No rollback journal beside it; a table so the file is a real database whose lock SQLite takes.
      db.pragma('journal_mode = MEMORY')
      db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER)')
      db.exec('BEGIN EXCLUSIVE')
      // Its file is SQLite's from now on: nothing else in this process may open it (closing would drop the lock).
      noteDatabaseFiles(path)
      return new OwnerLock(db, path)
    } catch (error) {
      db.close()
      if (isBusy(error)) return null
      throw error
    }
  }

  /** Takes the lock at `path`; it is new, so nobody else can hold it. */
  static acquire(path: string): OwnerLock {
    const lock = OwnerLock.tryAcquire(path)
    if (!lock) throw new Error(`the removal lock ${path} is held by another process`)
    return lock
  }

  /** Releases the lock and deletes its file (after the journal it guards is gone). */
  release(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK')
    } finally {
      this.db.close()
      rmSync(this.path, { force: true })
      rmSync(`${this.path}-journal`, { force: true })
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '')
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED'
}
