// Connections to msb's SQLite database.
//
// Reads use a read-only connection (never creates the file, never migrates, never checkpoints), so
// browsing can't change the cache and keeps working under WAL while msb writes. Writes use a separate
// short-lived connection with msb's own settings (foreign_keys, busy timeout) and one
// `BEGIN IMMEDIATE` transaction, retried a bounded number of times when another writer holds the lock.
import Database from 'better-sqlite3'
import { existsSync, statSync, unlinkSync } from 'node:fs'
import { CacheError } from '../../../shared/errors'
import { noteDatabaseFiles } from './database-inodes'
import { NotAMicrosandboxDatabase } from './schema'

export const BUSY_TIMEOUT_MS = 5000
/**
 * A write waits about three seconds in all for msb's write lock (msb's own transactions take
 * milliseconds), then says "msb is writing, try again" instead of hanging for half a minute.
 */
export const WRITE_BUSY_TIMEOUT_MS = 1000
const BUSY_RETRIES = 2

export function openReadConnection(dbPath: string): Database.Database | null {
  if (!existsSync(dbPath)) return null
  refuseNonFile(dbPath)
  try {
    refuseEmptyFile(dbPath)
    const sideFiles = [`${dbPath}-wal`, `${dbPath}-shm`].filter((path) => !existsSync(path))
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
      // Reading the schema page is where SQLite finds damage: no SQLite header (SQLITE_NOTADB), a truncated file or a
      // garbage schema page (SQLITE_CORRUPT).
      db.prepare('SELECT COUNT(*) FROM sqlite_master').pluck().get()
    } catch (error) {
      db.close()
      // Only for a damaged file: msb can't be using it. After any other failure (a lock) msb may just have created
      // these files and be about to write to them.
      if (isDamage(error)) removeCreatedSideFiles(sideFiles)
      throw error
    }
    noteDatabaseFiles(dbPath)
    return db
  } catch (error) {
    throw toCacheError(error, dbPath)
  }
}

/** A directory (or a device) where msb.db should be: say so instead of SQLite's or the kernel's raw error. */
function refuseNonFile(dbPath: string): void {
  if (!statSync(dbPath).isFile()) {
    throw new CacheError(
      'Unsupported',
      `${dbPath} is not a file: this is not a microsandbox database; the explorer will not read or change it`
    )
  }
}

function isDamage(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? '')
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')
}

/** SQLite creates empty -wal/-shm files on open; when the file turns out to be unreadable, take them away again. */
function removeCreatedSideFiles(paths: string[]): void {
  for (const path of paths) {
    try {
      // An empty -wal holds nothing; a -shm is only an index of the WAL.
      if (path.endsWith('-shm') || statSync(path).size === 0) unlinkSync(path)
    } catch {
      // Not created after all, or already gone.
    }
  }
}

export function openWriteConnection(dbPath: string, busyTimeoutMs = WRITE_BUSY_TIMEOUT_MS): Database.Database {
  if (!existsSync(dbPath)) {
    throw new CacheError('Unsupported', `there is no microsandbox database at ${dbPath}: nothing to change`)
  }
  refuseNonFile(dbPath)
  try {
    const db = new Database(dbPath, { fileMustExist: true })
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    db.pragma('foreign_keys = ON')
    // Durability over speed: a handful of small transactions, each must survive a crash once committed.
    db.pragma('synchronous = FULL')
    noteDatabaseFiles(dbPath)
    return db
  } catch (error) {
    throw toCacheError(error, dbPath)
  }
}

/**
 * Runs `work` inside one `BEGIN IMMEDIATE` transaction. IMMEDIATE takes the write lock up front, so
 * the reads inside see the latest committed state and can't be invalidated by a concurrent msb
 * (a deferred BEGIN would fail with BUSY_SNAPSHOT on upgrade). Retries on SQLITE_BUSY, then `Busy`.
 */
export function immediateTransaction<T>(db: Database.Database, work: () => T, retries = BUSY_RETRIES): T {
  for (let attempt = 0; ; attempt++) {
    try {
      db.exec('BEGIN IMMEDIATE')
    } catch (error) {
      if (isBusy(error) && attempt < retries) {
        sleep(Math.min(500, 25 * 2 ** attempt))
        continue
      }
      throw toCacheError(error, db.name)
    }
    try {
      const result = work()
      db.exec('COMMIT')
      return result
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw toCacheError(error, db.name)
    }
  }
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  return (
    typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
  )
}

/** Maps SQLite failures to the contract's codes with a message that says what to do. */
export function toCacheError(error: unknown, dbPath: string): CacheError {
  if (error instanceof CacheError) return error
  if (error instanceof NotAMicrosandboxDatabase) {
    return new CacheError('SchemaUnsupported', `${dbPath} is not a microsandbox image database: ${error.message}`)
  }
  const code = String((error as { code?: unknown })?.code ?? '')
  const message = error instanceof Error ? error.message : String(error)
  if (isBusy(error)) {
    return new CacheError(
      'Busy',
      `msb is writing, try again in a moment: the microsandbox database is locked by another program (${message}); nothing was changed`
    )
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ') {
    return new CacheError(
      'Unsupported',
      `${dbPath} is damaged or is not a SQLite database (${message}); the explorer will not read or change it`
    )
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new CacheError('Unsupported', `cannot open ${dbPath} (${message})`)
  }
  return new CacheError('Internal', message, code ? { sqlite: code } : undefined)
}

/**
 * An empty file is an empty database to SQLite, but to msb it is no database: either msb is creating it this very
 * moment (the next look finds its tables) or it was truncated. Never "newer msb". Told by stat alone: this process may
 * hold SQLite connections to the file, and opening and closing it with anything but SQLite would drop every POSIX lock
 * SQLite holds on it (issue 26). Every other kind of damage is SQLite's to find (SQLITE_NOTADB, SQLITE_CORRUPT).
 */
function refuseEmptyFile(dbPath: string): void {
  if (statSync(dbPath).size === 0) {
    throw new CacheError(
      'Unsupported',
      `${dbPath} is empty (0 bytes): an empty or damaged microsandbox database; the explorer will not read or change it (if msb is starting for the first time, it fills it in a moment)`,
      { database: 'empty' }
    )
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))
/** The core is synchronous (better-sqlite3); a short blocking back-off between lock attempts is fine. */
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}
