// Connections to msb's SQLite database.
//
// Reads use a read-only connection (never creates the file, never migrates, never checkpoints), so
// browsing can't change the cache and keeps working under WAL while msb writes. Writes use a separate
// short-lived connection with msb's own settings (foreign_keys, busy timeout) and one
// `BEGIN IMMEDIATE` transaction, retried a bounded number of times when another writer holds the lock.
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { CacheError } from '../../shared/errors'
import { NotAMicrosandboxDatabase } from './schema'

export const BUSY_TIMEOUT_MS = 5000
const BUSY_RETRIES = 4

export function openReadConnection(dbPath: string): Database.Database | null {
  if (!existsSync(dbPath)) return null
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true })
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    return db
  } catch (error) {
    throw toCacheError(error, dbPath)
  }
}

export function openWriteConnection(dbPath: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Database.Database {
  if (!existsSync(dbPath)) {
    throw new CacheError('Unsupported', `there is no microsandbox database at ${dbPath}: nothing to change`)
  }
  try {
    const db = new Database(dbPath, { fileMustExist: true })
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    db.pragma('foreign_keys = ON')
    // Durability over speed: a handful of small transactions, each must survive a crash once committed.
    db.pragma('synchronous = FULL')
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
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
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
      `the microsandbox database is locked by another program (${message}); nothing was changed, try again in a moment`
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

const sleeper = new Int32Array(new SharedArrayBuffer(4))
/** The core is synchronous (better-sqlite3); a short blocking back-off between lock attempts is fine. */
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}
