// Which cache files a home's database still refers to, asked right before a file is unlinked (and by
// the recovery of a killed removal). A cache can be shared by several homes (issue: shared caches), so
// the question may be asked of several databases: a file goes only when none of them needs it.
import type Database from 'better-sqlite3'
import { openReadConnection } from './database'
import { digestFileStem } from './digest'
import { metadataKey } from './reference-key'

/** Answers whether a cache file (`dir/name`, relative to the cache) is referenced. */
export type FileUse = (path: string) => boolean

const STEM = /^(sha256_[a-f0-9]{64}|[a-f0-9]{64})$/

/**
 * What one database refers to right now: a layer file by a `layer` row, fsmeta/vmdk by a `manifest`
 * row, a metadata file by any reference that normalises to its key. Anything it cannot classify counts
 * as used.
 */
export function fileUseOf(db: Database.Database, { eager = false } = {}): FileUse {
  const layers = new Set((db.prepare('SELECT diff_id FROM layer').pluck().all() as string[]).map(digestFileStem))
  const manifests = new Set((db.prepare('SELECT digest FROM manifest').pluck().all() as string[]).map(digestFileStem))
  // Metadata keys cost a sha256 per reference: computed only when a metadata file is asked about,
  // unless the connection is about to close (eager).
  const readKeys = () =>
    new Set((db.prepare('SELECT reference FROM image_ref').pluck().all() as string[]).map(metadataKey))
  let keys: Set<string | null> | null = eager ? readKeys() : null
  return (path: string) => {
    const [dir, name] = path.split('/')
    const stem = name.replace(/\.(erofs|vmdk|json)$/, '')
    if (!STEM.test(stem)) return true
    if (dir === 'layers') return layers.has(stem)
    if (dir === 'fsmeta' || dir === 'vmdk') return manifests.has(stem)
    if (dir === 'manifests') {
      keys ??= readKeys()
      return keys.has(stem)
    }
    return true
  }
}

/**
 * What other homes' databases refer to, read afresh now, by home. A home without a database (never
 * used) refers to nothing. A database that cannot be read makes every file count as used by it: not
 * knowing is never a reason to delete.
 */
export function otherHomesUse(homes: { home: string; dbPath: string }[]): { home: string; uses: FileUse }[] {
  return homes.map(({ home, dbPath }) => {
    let db: Database.Database | null = null
    try {
      db = openReadConnection(dbPath)
      if (!db) return { home, uses: () => false }
      const conn = db
      // One snapshot per home, read completely before the connection closes.
      return { home, uses: conn.transaction(() => fileUseOf(conn, { eager: true }))() }
    } catch {
      return { home, uses: () => true }
    } finally {
      db?.close()
    }
  })
}

/** Used by this home or by any of the others. */
export function anyUse(own: FileUse, others: { uses: FileUse }[]): FileUse {
  return (path) => own(path) || others.some((o) => o.uses(path))
}
