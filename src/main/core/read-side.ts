// The read side of one cache: a read-only connection to msb's database, opened on first use (there is
// none until msb has stored something) and kept, with the image queries prepared on it. Every SQLite
// error leaving a read becomes a CacheError naming the database (`guard`).
import type Database from 'better-sqlite3'
import type { SchemaState } from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import { openReadConnection, toCacheError } from './database'
import { ImageQueries } from './image-queries'
import { readSchemaState } from './schema'

export interface OpenReadSide {
  db: Database.Database
  queries: ImageQueries
  schema: SchemaState
}

export class ReadSide {
  private open: OpenReadSide | null = null

  constructor(
    private readonly dbPath: string,
    /** Why the home cannot be used at all (home.ts); every read then refuses with it. */
    private readonly problem?: string
  ) {}

  /** The open connection, or null while the cache has no database. */
  get(): OpenReadSide | null {
    if (this.open) return this.open
    if (this.problem) throw new CacheError('InvalidArgument', this.problem)
    const db = openReadConnection(this.dbPath)
    if (!db) return null
    try {
      const schema = readSchemaState(db)
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
