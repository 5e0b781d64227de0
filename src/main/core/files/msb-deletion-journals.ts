// msb's deletion journals (msb 0.7.7+; absent from 0.7.2): `<cache>/.image-deletions/`. Read from
// sdk/rust/lib/image/cleanup_journal.rs @05a0c70d (superradcompany/microsandbox); no binary that writes
// them can be installed here, so everything below is inferred from that source and proven only against
// journals the tests write in its exact format.
//
// A removal, holding exclusive leases on what it deletes and before its transaction commits, makes
// `.prepare-<random>/`, flocks `active.lock` in it, hard-links each target as `0`, `1`, …, writes
// `files.json` (cache-relative paths in link order), renames the folder to `delete-<32 hex>`, commits,
// unlinks each path that is still the same inode as its link, and then discards the folder. Creating
// and discarding a journal happen under `coordination.lock` (flock) in the journal folder.
//
// The explorer recovers a journal whose writer died exactly as msb's `recover` does, so either program
// may finish it; a journal whose `active.lock` another process holds is never touched. Differences,
// each on the safe side: every lock here is tried without waiting (msb waits for `coordination.lock`),
// so a busy coordinator leaves the journals for later; a journal msb would fail on (a malformed
// `files.json`, an unexpected member) is left as it is and shown, where msb stops its command.
// `coordination.lock` is never deleted; an `active.lock` goes only with its dead journal's folder, held
// by us while it goes, which is what msb's own `discard_directory` does.
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync, rmdirSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { type HeldLock, tryLockFile } from '../locks/flock'
import { tryExclusiveLease } from '../locks/storage-lease'
import { layerFileName, manifestFileNames, metadataName } from '../homes/file-names'
import { CACHE_FOLDERS } from '../homes/cache-paths'

export const JOURNAL_FOLDER = CACHE_FOLDERS.journals
const COORDINATION = 'coordination.lock'
const ACTIVE = 'active.lock'
const RECORD = 'files.json'

export type JournalState =
  /** Its `active.lock` is held: a running msb is deleting these files. */
  | 'active'
  /** Its writer died (no lock holder): the next rm or prune recovers it. */
  | 'crashed'
  /** Something msb itself would stop on; left as it is. */
  | 'malformed'

export interface MsbJournal {
  name: string
  state: JournalState
  /** Cache-relative paths from `files.json` (empty for `.prepare-*` and journals without it). */
  files: string[]
  /** Of those, the paths whose file is still the very inode the journal linked. */
  inPlace: string[]
  /** Bytes of the journal's links, each inode counted once across every journal. */
  bytes: number
  why?: string
}

export interface MsbJournals {
  journals: MsbJournal[]
  /** Bytes being deleted by msb: every linked inode once (dev/ino), in place or not. */
  bytes: number
  /** Files the links hold (distinct inodes). */
  files: number
}

/** The journal folder of a cache, when it is a real directory. */
function journalFolder(cacheDir: string): string | null {
  const path = join(cacheDir, JOURNAL_FOLDER)
  const st = lstatSync(path, { throwIfNoEntry: false })
  return st?.isDirectory() ? path : null
}

function entriesOf(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((d) => d.isDirectory() && (d.name.startsWith('delete-') || d.name.startsWith('.prepare-')))
      .map((d) => d.name)
      .sort()
  } catch {
    return []
  }
}

/** msb's `validate_relative`: exactly `manifests/*.json`, `layers/*.erofs`, `fsmeta/*.erofs`, `vmdk/*.vmdk`. */
export function isJournalPath(path: unknown): path is string {
  if (typeof path !== 'string') return false
  const parts = path.split('/')
  if (parts.length !== 2 || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) return false
  const ext = { manifests: '.json', layers: '.erofs', fsmeta: '.erofs', vmdk: '.vmdk' }[parts[0]]
  return ext !== undefined && parts[1].endsWith(ext) && parts[1].length > ext.length
}

function readRecord(dir: string): string[] | 'missing' | 'malformed' {
  let text: string
  try {
    text = readFileSync(join(dir, RECORD), 'utf8')
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'malformed'
  }
  try {
    const files = JSON.parse(text) as unknown
    return Array.isArray(files) && files.every(isJournalPath) ? files : 'malformed'
  } catch {
    return 'malformed'
  }
}

/** Whether another process holds `path`'s flock now (probed with a shared lock released at once; never created). */
function isHeld(path: string): boolean {
  if (!lstatSync(path, { throwIfNoEntry: false })?.isFile()) return false
  const probe = tryLockFile(path, 'shared')
  probe?.release()
  return probe === null
}

function sameInode(a: string, b: string): boolean {
  const x = lstatSync(a, { throwIfNoEntry: false })
  const y = lstatSync(b, { throwIfNoEntry: false })
  return !!x && !!y && x.isFile() && y.isFile() && x.dev === y.dev && x.ino === y.ino
}

/** Every journal in the cache, what state it is in and the bytes its links hold (read only; takes no lock for long). */
export function readMsbJournals(cacheDir: string): MsbJournals {
  const folder = journalFolder(cacheDir)
  const out: MsbJournals = { journals: [], bytes: 0, files: 0 }
  if (!folder) return out
  const seen = new Set<string>()
  for (const name of entriesOf(folder)) {
    const dir = join(folder, name)
    const record = name.startsWith('delete-') ? readRecord(dir) : 'missing'
    const files = Array.isArray(record) ? record : []
    const journal: MsbJournal = {
      name,
      state: isHeld(join(dir, ACTIVE)) ? 'active' : record === 'malformed' ? 'malformed' : 'crashed',
      files,
      inPlace: files.filter((f, i) => sameInode(join(cacheDir, f), join(dir, String(i)))),
      bytes: 0
    }
    if (record === 'malformed') journal.why = `${RECORD} is not a list of cache files msb deletes`
    for (const link of safeReaddir(dir)) {
      if (!/^\d+$/.test(link)) continue
      const st = lstatSync(join(dir, link), { throwIfNoEntry: false })
      if (!st?.isFile()) continue
      const key = `${st.dev}:${st.ino}`
      if (seen.has(key)) continue
      seen.add(key)
      journal.bytes += st.size
      out.bytes += st.size
      out.files += 1
    }
    out.journals.push(journal)
  }
  return out
}

/**
 * Cache files a journal names: being deleted by msb (or waiting for its recovery), never strays. Reads
 * only the records (no lock is probed), so the stray check stays cheap.
 */
export function journalClaims(cacheDir: string): Set<string> {
  const folder = journalFolder(cacheDir)
  const claims = new Set<string>()
  if (!folder) return claims
  for (const name of entriesOf(folder)) {
    if (!name.startsWith('delete-')) continue
    const record = readRecord(join(folder, name))
    if (Array.isArray(record)) for (const f of record) claims.add(f)
  }
  return claims
}

export interface JournalRecovery {
  /** Journals discarded (their files handled as msb handles them). */
  finished: string[]
  /** Cache files unlinked because no row owns them any more. */
  removed: { path: string; bytes: number }[]
  /** Cache files a row owns again: kept, their link dropped. */
  ownedAgain: string[]
  /** Journals left as they are, with why. */
  left: { name: string; why: string }[]
}

/**
 * msb's `cleanup_journal::recover`, entry by entry. Call before the write transaction (it reads `db`
 * without a transaction and takes only non-blocking flocks, so it never waits while holding SQLite's
 * write lock). Safe beside a running msb: an entry whose `active.lock` is held is skipped.
 */
export function recoverMsbJournals(cacheDir: string, db: Database.Database): JournalRecovery {
  const result: JournalRecovery = { finished: [], removed: [], ownedAgain: [], left: [] }
  const folder = journalFolder(cacheDir)
  if (!folder) return result
  const owns = ownership(db)
  for (const name of entriesOf(folder)) {
    const dir = join(folder, name)
    const coordination = tryLockFile(join(folder, COORDINATION), 'exclusive')
    if (!coordination) {
      result.left.push({ name, why: 'a running msb is creating or discarding a journal; left for the next run' })
      continue
    }
    let active: HeldLock | null = null
    try {
      if (!lstatSync(join(dir, ACTIVE), { throwIfNoEntry: false })) {
        // With the coordinator held, a journal without its lock cannot be a creator about to make it.
        finishDiscard(dir, name, result)
        continue
      }
      active = tryLockFile(join(dir, ACTIVE), 'exclusive')
    } finally {
      if (!active) coordination.release()
    }
    if (!active) {
      if (lstatSync(dir, { throwIfNoEntry: false })) result.left.push({ name, why: 'a running msb is deleting it' })
      continue
    }
    coordination.release()
    try {
      recoverOne(cacheDir, folder, dir, name, owns, result)
    } catch (error) {
      // Where msb's recovery would fail its command (a content folder gone, a file it cannot unlink),
      // the journal stays for msb, and the explorer's own write goes on.
      result.left.push({ name, why: `could not finish it: ${(error as Error).message}` })
    } finally {
      active.release()
    }
  }
  return result
}

function recoverOne(
  cacheDir: string,
  folder: string,
  dir: string,
  name: string,
  owns: (path: string, link: string) => boolean,
  result: JournalRecovery
): void {
  // A crashed preparation owns only extra hard links: the catalog could not commit without the rename.
  const record = name.startsWith('.prepare-') ? 'missing' : readRecord(dir)
  if (record === 'malformed') {
    result.left.push({ name, why: `${RECORD} is not a list of cache files msb deletes; left for msb` })
    return
  }
  if (record === 'missing') return discardUnder(folder, dir, name, result)
  let busy = false
  for (const [index, relative] of record.entries()) {
    const path = join(cacheDir, relative)
    const link = join(dir, String(index))
    const lease = tryExclusiveLease(path)
    if (!lease) {
      busy = true
      continue
    }
    try {
      // Asked afresh with the lease held, so a publisher cannot slip in between.
      if (owns(relative, link)) result.ownedAgain.push(relative)
      else if (sameInode(path, link)) {
        const bytes = lstatSync(link).size
        unlinkSync(path)
        syncDir(join(path, '..'))
        result.removed.push({ path: relative, bytes })
      }
      removeIfPresent(link)
    } finally {
      lease.release()
    }
  }
  if (busy) result.left.push({ name, why: 'a file it names is in use by a running msb; left for the next run' })
  else discardUnder(folder, dir, name, result)
}

function discardUnder(folder: string, dir: string, name: string, result: JournalRecovery): void {
  const coordination = tryLockFile(join(folder, COORDINATION), 'exclusive')
  if (!coordination) {
    result.left.push({ name, why: 'a running msb holds the journal coordinator; left for the next run' })
    return
  }
  try {
    finishDiscard(dir, name, result)
  } finally {
    coordination.release()
  }
  syncDir(folder)
}

/** msb's `discard_directory`: links first, then files.json, then active.lock, then the folder. */
function finishDiscard(dir: string, name: string, result: JournalRecovery): void {
  const members = safeReaddir(dir)
  const unexpected = members.find(
    (m) => m !== RECORD && m !== ACTIVE && (!/^\d+$/.test(m) || !lstatSync(join(dir, m)).isFile())
  )
  if (unexpected !== undefined) {
    result.left.push({ name, why: `unexpected member ${unexpected}; left for msb` })
    return
  }
  for (const m of members) if (m !== RECORD && m !== ACTIVE) removeIfPresent(join(dir, m))
  syncDir(dir)
  removeIfPresent(join(dir, RECORD))
  syncDir(dir)
  removeIfPresent(join(dir, ACTIVE))
  try {
    rmdirSync(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  result.finished.push(name)
}

/**
 * msb's ownership re-check, per path (cleanup_journal.rs `recover`): a metadata record is owned when
 * an image reference or a snapshot's image reference maps to it, or when the manifest digest in the
 * linked record is one a snapshot names or a sandbox's rootfs uses; a layer when a layer row has its
 * diff id; an fsmeta or vmdk file when a manifest row has its digest.
 */
function ownership(db: Database.Database): (relative: string, link: string) => boolean {
  const refs = db.prepare('SELECT reference FROM image_ref').pluck()
  const snapshotRefs = db.prepare('SELECT image_ref FROM snapshot_index').pluck()
  const snapshotDigest = db.prepare('SELECT 1 FROM snapshot_index WHERE image_manifest_digest = ? LIMIT 1')
  const rootfsDigest = db.prepare(
    'SELECT 1 FROM manifest m JOIN sandbox_rootfs r ON r.manifest_id = m.id WHERE m.digest = ? LIMIT 1'
  )
  const layers = db.prepare('SELECT diff_id FROM layer').pluck()
  const manifests = db.prepare('SELECT digest FROM manifest').pluck()
  return (relative, link) => {
    const [dir, name] = relative.split('/')
    if (dir === 'manifests') {
      const named = (rows: unknown[]) => rows.some((r) => typeof r === 'string' && metadataName(r) === name)
      if (named(refs.all()) || named(snapshotRefs.all())) return true
      const digest = recordDigest(link)
      return digest !== null && (!!snapshotDigest.get(digest) || !!rootfsDigest.get(digest))
    }
    if (dir === 'layers') return (layers.all() as string[]).some((d) => layerFileName(d) === name)
    return (manifests.all() as string[]).some((d) => {
      const names = manifestFileNames(d)
      return names !== null && (dir === 'fsmeta' ? names.fsmeta : names.vmdk) === name
    })
  }
}

function recordDigest(link: string): string | null {
  try {
    const record = JSON.parse(readFileSync(link, 'utf8')) as { manifest_digest?: unknown }
    return typeof record.manifest_digest === 'string' ? record.manifest_digest : null
  } catch {
    return null
  }
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

function syncDir(path: string): void {
  if (process.platform === 'win32') return
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path)
  } catch {
    return []
  }
}
