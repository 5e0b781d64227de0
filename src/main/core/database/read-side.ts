// The read side of one cache: a read-only connection to msb's database, opened on first use (there is
// none until msb has stored something) and kept, with the image queries prepared on it. Every SQLite
// error leaving a read becomes a CacheError naming the database (`guard`).
import type Database from 'better-sqlite3'
import type { SchemaState } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import { openReadConnection, toCacheError } from './database'
import { ImageQueries } from './image-queries'
import { readSchemaState } from './schema'
import { deletedSideFilesHeld, sideFileIds, sideFilesGone } from './wal-files'

export interface OpenReadSide {
  db: Database.Database
  queries: ImageQueries
  schema: SchemaState
}

export class ReadSide {
  private open: OpenReadSide | null = null
  /** The -wal and -shm the open connection uses (wal-files.ts). */
  private sides = ''

  constructor(
    private readonly dbPath: string,
    /** Why the home cannot be used at all (home.ts); every read then refuses with it. */
    private readonly problem?: string
  ) {}

  /** The open connection, or null while the cache has no database. */
  get(): OpenReadSide | null {
    if (this.open) {
      // Another program deleted the -wal or -shm under the connection: it would read a log nobody writes any more.
      if (sideFileIds(this.dbPath) === this.sides) return this.open
      this.close()
    }
    if (this.problem) throw new CacheError('InvalidArgument', this.problem)
    const db = openReadConnection(this.dbPath)
    if (!db) return null
    try {
      const schema = readSchemaState(db)
      // SQLite shares the -shm among a process's connections: while another one (the worker's) still has the deleted
      // file, this one would read through it too. That one lets go at its next call.
      if ((deletedSideFilesHeld(this.dbPath) ?? []).length > 0) throw sideFilesGone(this.dbPath, 'nothing was read')
      this.sides = sideFileIds(this.dbPath)
      this.open = { db, queries: new ImageQueries(db), schema }
      return this.open
    } catch (error) {
      db.close()
      throw toCacheError(error, this.dbPath)
    }
  }

  /** The open connection; without a database no image exists, so `reference` is not found. */
  getOrNotFound(reference: string): OpenReadSide {
    const side = this.get()
    if (!side) throw new CacheError('ImageNotFound', `image not found: ${reference}`, { reference })
    return side
  }

  guard<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw toCacheError(error, this.dbPath)
    }
  }

  close(): void {
    this.open?.db.close()
    this.open = null
  }
}
