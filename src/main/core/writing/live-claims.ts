// Whether anything claims a cache file at the moment it is about to be unlinked. A removal's files wait
// aside for a grace period; then, right before EACH unlink, every claim is asked again: this home's rows,
// the rows of the other homes the user named, and the image records (`manifests/<key>.json`) that no
// reference of this home owns — which is how a home the explorer was not told about (its `paths.cache`
// pointing here) shows that it uses a file. An `msb load` in such a home may write its record at any
// time during the removal, so a claim read once, even after the grace period, can be stale by the time
// the last file goes.
//
// Asking again must stay cheap for a removal of tens of thousands of files, so each source is re-read
// only when it may have changed: a database when `PRAGMA data_version` moves (SQLite's own test that
// another connection committed), the records when the `manifests` directory changes (msb writes each
// record to a `.json.part` and renames it in, which changes the directory) or changed so recently that
// a second change within the file system's timestamp granularity could hide behind the first.
import { readdirSync } from 'node:fs'
import type Database from 'better-sqlite3'
import { contentDirectory } from '../homes/cache-paths'
import { openReadConnection } from '../database/database'
import { type AskedFile, type FileUse, fileUseOf } from '../files/file-use'
import { metadataKey } from '../homes/reference-key'
import type { HomeDatabase } from './removal-journal'
import { claimsOfRecords } from '../files/unowned-metadata'
import { folderStamp } from '../files/folder-stamp'

interface OtherHome extends HomeDatabase {
  db: Database.Database | null
  version: number | null
  uses: FileUse
}

export class LiveClaims {
  private ownVersion: number | null = null
  private own: FileUse = () => true
  private ownKeys = new Set<string>()
  private readonly homes: OtherHome[]
  private readonly manifests: string | null
  private recordsStamp: string | null = null
  private records: ReadonlyMap<string, string> = new Map()
  /** How many times each source was read (tests count them: asking again must not mean reading again). */
  readonly reads = { own: 0, others: 0, records: 0 }

  constructor(
    private readonly db: Database.Database,
    others: readonly HomeDatabase[],
    cacheDir: string,
    private readonly asked: readonly AskedFile[]
  ) {
    this.homes = others.map((h) => ({ ...h, db: null, version: null, uses: () => true }))
    this.manifests = contentDirectory(cacheDir, 'manifests')
  }

  /** Whether `path` is claimed right now; re-reads whatever may have changed since the last question. */
  claimed(path: string): boolean {
    this.refreshOwn()
    if (this.own(path)) return true
    for (const home of this.homes) if (this.refreshHome(home).uses(path)) return true
    this.refreshRecords()
    return this.records.has(path)
  }

  /**
   * Every claim read once, now, for a round of unlink-pool.ts, whose helpers unlink only while the stamps of
   * `sources()` taken before this read hold: a commit or a record written after it moves one of them and sends
   * the file back to be asked again. So the round's files are asked without asking SQLite and the folder again
   * before each (`data_version` and a stat per file were ~0.4 s of a 10,000-image prune's main thread).
   */
  asOfNow(): (path: string) => boolean {
    this.refreshOwn()
    const homes = this.homes.map((home) => this.refreshHome(home).uses)
    this.refreshRecords()
    const { own, records } = this
    return (path) => own(path) || homes.some((uses) => uses(path)) || records.has(path)
  }

  /**
   * The paths whose change may mean a new claim: the records' folder, and each home's database and -wal (a
   * commit writes one of them). unlink-pool.ts stamps them to know that nothing changed since a check.
   */
  sources(): string[] {
    const out = this.manifests ? [this.manifests] : []
    for (const dbPath of [this.db.name, ...this.homes.map((h) => h.dbPath)]) out.push(dbPath, `${dbPath}-wal`)
    return out
  }

  /** Closes the connections to the other homes' databases. */
  close(): void {
    for (const home of this.homes) home.db?.close()
  }

  private refreshOwn(): void {
    const version = this.db.pragma('data_version', { simple: true }) as number
    if (version === this.ownVersion) return
    this.ownVersion = version
    this.reads.own++
    const { uses, keys } = this.db.transaction(() => ({
      uses: fileUseOf(this.db, { only: this.asked }),
      keys: this.db.prepare('SELECT reference FROM image_ref').pluck().all() as string[]
    }))()
    this.own = uses
    const owned = new Set<string>()
    for (const reference of keys) {
      const key = memoKey(reference)
      if (key !== null) owned.add(`${key}.json`)
    }
    // The home's records changed owner when its references did: read the records again too.
    this.ownKeys = owned
    this.recordsStamp = null
  }

  private refreshHome(home: OtherHome): OtherHome {
    try {
      // A home without a database may get one at any time (msb creates it on first use).
      home.db ??= openReadConnection(home.dbPath)
      if (!home.db) {
        home.uses = () => false
        return home
      }
      const version = home.db.pragma('data_version', { simple: true }) as number
      if (version === home.version) return home
      const conn = home.db
      this.reads.others++
      home.uses = conn.transaction(() => fileUseOf(conn, { only: this.asked }))()
      home.version = version
    } catch {
      // Not knowing is never a reason to delete.
      home.uses = () => true
      home.version = null
    }
    return home
  }

  private refreshRecords(): void {
    if (!this.manifests) return
    const stamp = folderStamp(this.manifests)
    if (stamp !== null && stamp === this.recordsStamp) return
    this.reads.records++
    try {
      this.records = claimsOfRecords((name) => this.ownKeys.has(name), this.manifests, readdirSync(this.manifests))
    } catch {
      // The directory vanished or cannot be read: whatever it held, nothing in it can be asked about.
      this.records = new Map()
    }
    this.recordsStamp = stamp
  }
}

/**
 * metadataKey (a sha256) of a reference, remembered: a prune asks again in each of its ~600 batches of 48
 * leases, and hashing every reference of a 10,000-image home each time cost ~10 ms a batch. A pure function
 * of the string, so remembering is safe; bounded.
 */
const keys = new Map<string, string | null>()
function memoKey(reference: string): string | null {
  let key = keys.get(reference)
  if (key === undefined) {
    if (keys.size >= 100_000) keys.clear()
    keys.set(reference, (key = metadataKey(reference)))
  }
  return key
}
