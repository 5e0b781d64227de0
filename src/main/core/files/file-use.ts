// Which cache files a home's database still refers to, asked right before a file is unlinked (and by
// the recovery of a killed removal). A cache can be shared by several homes (issue: shared caches), so
// the question may be asked of several databases: a file goes only when none of them needs it.
import type Database from 'better-sqlite3'
import { openReadConnection } from '../database/database'
import { digestFileStem } from '../homes/digest'
import { metadataKey } from '../homes/reference-key'

/** Answers whether a cache file (`dir/name`, relative to the cache) is referenced. */
export type FileUse = (path: string) => boolean

const STEM = /^(sha256_[a-f0-9]{64}|[a-f0-9]{64})$/

/**
 * What one database refers to right now: a layer file by a `layer` row, fsmeta/vmdk by a `manifest`
 * row, a metadata file by any reference that normalises to its key. Anything it cannot classify counts
 * as used. `only`: the files that will be asked about, so just their rows are read (a removal of one
 * image asks about a handful of files in a cache of thousands).
 */
export function fileUseOf(
  db: Database.Database,
  { eager = false, only }: { eager?: boolean; only?: readonly AskedFile[] } = {}
): FileUse {
  const wanted = only && digestsAsked(only.map((f) => f.path))
  const layers = stemsOf(db, 'SELECT diff_id FROM layer', 'diff_id', wanted?.layers)
  const manifests = stemsOf(db, 'SELECT digest FROM manifest', 'digest', wanted?.manifests)
  // Metadata keys cost a sha256 per reference: computed only when a metadata file is asked about,
  // unless the connection is about to close (eager); only for the references that could share the
  // files asked about, when the caller knows them.
  const readKeys = () => new Set(referencesSharing(db, only).map(metadataKey))
  let keys: Set<string | null> | null = eager ? readKeys() : null
  const asked = only && new Set(only.map((f) => f.path))
  return (path: string) => {
    // A file nobody said would be asked about had its rows unread: it counts as used.
    if (asked && !asked.has(path)) return true
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

/** A file that will be asked about, with what could share it when it is a metadata file. */
export interface AskedFile {
  path: string
  sharedBy?: string[]
}

/** A few names are matched in SQL; more would cost more than reading every reference. */
const FEW_NAMES = 100

/**
 * The references whose keys could be those of the metadata files asked about: those containing a
 * name the files are shared by, when every such file says; otherwise all of them.
 */
function referencesSharing(db: Database.Database, only: readonly AskedFile[] | undefined): string[] {
  const records = only?.filter((f) => f.path.startsWith('manifests/')) ?? []
  const names = new Set(records.flatMap((f) => f.sharedBy ?? []))
  const everyNamed = only !== undefined && records.every((f) => (f.sharedBy?.length ?? 0) > 0)
  if (!everyNamed || names.size > FEW_NAMES)
    return db.prepare('SELECT reference FROM image_ref').pluck().all() as string[]
  if (names.size === 0) return []
  // One instr() per name, as bound parameters: a table scan, but nothing is built per row.
  const list = [...names]
  return db
    .prepare(`SELECT reference FROM image_ref WHERE ${list.map(() => 'instr(reference, ?) > 0').join(' OR ')}`)
    .pluck()
    .all(...list) as string[]
}

/** The digests behind the layer and manifest files among `paths` (`layers/sha256_<hex>.erofs` → `sha256:<hex>`). */
function digestsAsked(paths: readonly string[]): { layers: string[]; manifests: string[] } {
  const out = { layers: [] as string[], manifests: [] as string[] }
  for (const path of paths) {
    const [dir, name] = path.split('/')
    const digest = /^sha256_([a-f0-9]{64})\.(erofs|vmdk)$/.exec(name ?? '')
    if (!digest) continue
    if (dir === 'layers') out.layers.push(`sha256:${digest[1]}`)
    else if (dir === 'fsmeta' || dir === 'vmdk') out.manifests.push(`sha256:${digest[1]}`)
  }
  return out
}

/**
 * The file stems of a digest column: every row's, or only those among `digests` (one query; a stem is
 * only ever made from an exact `sha256:<hex>` digest, so matching the digest text loses nothing).
 */
function stemsOf(db: Database.Database, sql: string, column: string, digests?: string[]): Set<string | null> {
  const rows = digests
    ? db.prepare(`${sql} WHERE ${column} IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify(digests))
    : db.prepare(sql).pluck().all()
  return new Set((rows as string[]).map(digestFileStem))
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
