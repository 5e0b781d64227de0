// The files under the cache directory, by kind, measured with lstat (a symlink is never followed: it
// costs nothing and is never a way out of the cache). Content files are written once and renamed into
// place, so a directory whose mtime has not changed still holds the same files: its scan is reused,
// which keeps `usage` cheap on a large cache that has not changed.
//
// Performance: at 10,000 images the four directories hold ~40,000 entries, and an lstat costs several
// microseconds, so a scan is the floor of a cold `usage`. An operation asks for file sizes tens of
// thousands of times; inside `within()` each directory's memo is checked (one lstat) once per operation
// instead of once per question.
import { LEASE_FOLDER } from '../locks/storage-lease'
import { type Dirent, lstatSync, readdirSync, type Stats } from 'node:fs'
import { join, sep } from 'node:path'
import type { FileKind, KindTotal } from '../../../shared/contract'
import {
  CACHE_FOLDERS,
  CONTENT_DIRS,
  type ContentDir,
  contentDirectory,
  contentPath,
  resolveDirectory
} from '../homes/cache-paths'
import { PROGRESS_INTERVAL_MS } from './progress-reporter'
import { JOURNAL_FOLDER, readMsbJournals } from './msb-deletion-journals'
import type { SizeStore } from './size-store'

export interface FileEntry {
  readonly bytes: number
  readonly mtimeMs: number
  readonly isSymlink: boolean
  readonly isFile: boolean
}

const LOCK_ENTRIES = [false, true].map((isSymlink) =>
  [false, true].map((isFile) => Object.freeze({ bytes: 0, mtimeMs: 0, isSymlink, isFile }))
)

/**
 * A lock file's entry: msb's lock files are always empty (flock needs no content), so the directory
 * entry says all there is; entries are read-only, so the ~20,000 of a large cache share four objects.
 */
export function lockEntry(isSymlink: boolean, isFile: boolean): FileEntry {
  return LOCK_ENTRIES[isSymlink ? 1 : 0][isFile ? 1 : 0]
}

export type DirectoryScan = ReadonlyMap<string, FileEntry>

/**
 * Other subdirectories, counted as a whole. `memory/` (msb 0.7) holds guest RAM of branches and full
 * snapshots: its own kind, never an image's bytes, and nothing here ever deletes in it (msb's prune never
 * opens it either).
 */
const OTHER_DIRS = new Map<string, FileKind>([
  [CACHE_FOLDERS.flat, 'flat'],
  [CACHE_FOLDERS.memory, 'memory'],
  [CACHE_FOLDERS.tmp, 'tmp']
])

interface Memo {
  key: string
  scan: Map<string, FileEntry>
}

export interface CacheFilesOptions {
  /**
   * Answer `entry()` with one lstat of that file instead of a scan of its directory. For writes,
   * which size a few files (remove) or each file once (prune): a scan would lstat every file in the
   * cache, ~40,000 at 10,000 images, to answer a handful of questions.
   */
  perFile?: boolean
  /** Scans kept between sessions (size-store.ts); a directory unchanged since is not scanned again. */
  store?: SizeStore
}

/**
 * Content folders another thread has already listed (usage/listing-prefetch.ts): a folder's entries as an
 * lstat of each would give them now, or null when that listing may not be the folder as it is.
 */
export interface ListedFolders {
  entriesOf(dir: ContentDir): ReadonlyMap<string, FileEntry> | null
}

export class CacheFiles {
  private readonly memo = new Map<string, Memo>()
  /** Inside `within()`: the scans this operation has already validated. */
  private pass: Map<ContentDir, DirectoryScan> | null = null
  /** perFile: each content directory's real path, null when it is not a directory (resolved once per instance). */
  private readonly realDirs = new Map<ContentDir, string | null>()
  /** Inside `within(work, onMeasured)`: files lstat-ed so far, told at most every PROGRESS_INTERVAL_MS. */
  private measure: { count: number; lastSent: number; report: (filesMeasured: number) => void } | null = null
  /** Inside `within(work, onMeasured, listed)`: folders listed elsewhere, taken instead of scanning them here. */
  private listed: ListedFolders | null = null

  constructor(
    readonly cacheDir: string,
    private readonly options: CacheFilesOptions = {}
  ) {}

  /** One file of a content directory, as `scan(dir).get(name)` would give it (see `perFile`). */
  entry(dir: ContentDir, name: string): FileEntry | undefined {
    if (!this.options.perFile) return this.scan(dir).get(name)
    let path = this.realDirs.get(dir)
    if (path === undefined) {
      path = contentDirectory(this.cacheDir, dir)
      this.realDirs.set(dir, path)
    }
    return path ? (entryOf(path + sep + name) ?? undefined) : undefined
  }

  /**
   * Runs `work` with one view of the files: each directory is checked (and scanned if it changed) at
   * most once, however many sizes `work` asks for. Nested calls share the outer view. `onMeasured`
   * hears how many files have been measured so far while directories are scanned (nothing when every
   * size was already known). `listed`: folders a helper thread lists meanwhile; a changed folder's scan
   * takes its listing when that is the folder as it is now.
   */
  within<T>(work: () => T, onMeasured?: (filesMeasured: number) => void, listed: ListedFolders | null = null): T {
    if (this.pass) return work()
    this.pass = new Map()
    this.listed = listed
    this.measure = onMeasured ? { count: 0, lastSent: performance.now(), report: onMeasured } : null
    try {
      const result = work()
      // The final count, so a listener always ends on the number of files measured.
      if (this.measure && this.measure.count > 0) this.measure.report(this.measure.count)
      return result
    } finally {
      this.pass = null
      this.measure = null
      this.listed = null
    }
  }

  private measured(): void {
    const m = this.measure
    if (!m) return
    m.count++
    // The clock is read every 64 files (~0.2 ms of lstat), not ~28,000 times.
    if (m.count % 64 !== 0) return
    const now = performance.now()
    if (now - m.lastSent < PROGRESS_INTERVAL_MS) return
    m.lastSent = now
    try {
      m.report(m.count)
    } catch {
      // A listener that fails must not fail the measurement.
    }
  }

  /**
   * The entries of one content directory (not recursive); empty when it is not a directory. A content
   * directory that is a symlink to a directory is followed, as msb follows it (cache-paths.ts).
   */
  scan(dir: ContentDir): DirectoryScan {
    const seen = this.pass?.get(dir)
    if (seen) return seen
    const scan = this.freshScan(dir)
    this.pass?.set(dir, scan)
    return scan
  }

  private freshScan(dir: ContentDir): DirectoryScan {
    const path = contentDirectory(this.cacheDir, dir)
    const st = path ? safeLstat(path) : null
    if (!path || !st || !st.isDirectory()) return new Map()
    const key = `${st.ino}:${st.mtimeMs}:${st.ctimeMs}`
    const cached = this.memo.get(path)
    if (cached && cached.key === key) return cached.scan
    const stored = this.options.store?.load(path, key)
    if (stored) {
      this.memo.set(path, { key, scan: stored })
      return stored
    }
    const scan = new Map<string, FileEntry>()
    const add = (name: string, isSymlink: boolean, isFile: boolean, entry: () => FileEntry | null) => {
      // msb 0.7.7+'s lease folder (locks/storage-lease.ts): lock files other processes hold, never content.
      if (name === LEASE_FOLDER) return
      // Lock files are empty (lockEntry): no lstat for about half the files of a large cache.
      if (name.endsWith('.lock')) return void scan.set(name, lockEntry(isSymlink, isFile))
      const measured = entry()
      if (measured) scan.set(name, measured)
      this.measured()
    }
    // Asked after the key was taken: a listing that is the folder now was also the folder under that key.
    const listed = this.listed?.entriesOf(dir)
    if (listed) for (const [name, e] of listed) add(name, e.isSymlink, e.isFile, () => e)
    else {
      const prefix = path + sep
      for (const d of safeReaddirTyped(path))
        add(d.name, d.isSymbolicLink(), d.isFile(), () => entryOf(prefix + d.name))
    }
    this.memo.set(path, { key, scan })
    this.options.store?.save(path, key, scan)
    return scan
  }

  /** Size of `<dir>/<name>` from the scan; null when absent or not a regular file. */
  sizeOf(dir: ContentDir, name: string): number | null {
    const entry = this.scan(dir).get(name)
    return entry && entry.isFile ? entry.bytes : null
  }

  /** Bytes and file counts of the whole cache directory by kind. */
  totals(): KindTotal[] {
    const totals = new Map<FileKind, KindTotal>()
    const add = (kind: FileKind, bytes: number) => {
      const t = totals.get(kind) ?? { kind, files: 0, bytes: 0 }
      t.files += 1
      t.bytes += bytes
      totals.set(kind, t)
    }
    // msb's deletion journals: their linked bytes once, as "being deleted", also where the file they
    // link is still in its content folder (a running msb has not unlinked it yet).
    const journals = readMsbJournals(this.cacheDir)
    const inPlace = new Set(journals.journals.flatMap((j) => j.inPlace))
    if (journals.files > 0) totals.set('deleting', { kind: 'deleting', files: journals.files, bytes: journals.bytes })
    for (const [dir, kind] of Object.entries(CONTENT_DIRS) as [ContentDir, FileKind][]) {
      for (const [name, entry] of this.scan(dir)) {
        if (!entry.isFile) continue
        if (inPlace.size > 0 && inPlace.has(contentPath(dir, name))) continue
        add(kindOfName(kind, name), entry.bytes)
      }
    }
    for (const name of safeReaddir(this.cacheDir)) {
      if (name in CONTENT_DIRS || name === JOURNAL_FOLDER) continue
      const kind = OTHER_DIRS.get(name)
      if (kind === undefined) {
        // Not msb's: a file beside its folders is counted, a directory is not walked. A cache at `/` or
        // in a home directory (`paths.cache` points anywhere) would otherwise walk the whole disk.
        const st = safeLstat(join(this.cacheDir, name))
        if (st?.isFile()) add('other', st.size)
        continue
      }
      // flat/, tmp/ and memory/ may be symlinked elsewhere like the content folders; nothing below them is followed.
      const top = resolveDirectory(join(this.cacheDir, name)) ?? join(this.cacheDir, name)
      walk(top, (bytes) => add(kind, bytes))
    }
    const order: FileKind[] = [
      'layer',
      'fsmeta',
      'vmdk',
      'metadata',
      'flat',
      'memory',
      'deleting',
      'tmp',
      'lock',
      'other'
    ]
    return order.map((kind) => totals.get(kind) ?? { kind, files: 0, bytes: 0 })
  }
}

/** Lock files and download leftovers live beside content files but are not content. */
function kindOfName(dirKind: FileKind, name: string): FileKind {
  if (name.endsWith('.lock')) return 'lock'
  if (dirKind === 'layer' && !name.endsWith('.erofs')) return 'tmp'
  if (dirKind === 'metadata' && !name.endsWith('.json')) return 'tmp'
  return dirKind
}

function walk(path: string, onFile: (bytes: number) => void, depth = 0): void {
  const st = safeLstat(path)
  if (!st) return
  if (st.isFile()) return onFile(st.size)
  if (!st.isDirectory() || depth > 8) return
  for (const name of safeReaddir(path)) walk(join(path, name), onFile, depth + 1)
}

function entryOf(path: string): FileEntry | null {
  const st = safeLstat(path)
  if (!st) return null
  const isFile = st.isFile()
  return { bytes: isFile ? st.size : 0, mtimeMs: st.mtimeMs, isSymlink: st.isSymbolicLink(), isFile }
}

/** One options object for the ~28,000 lstat calls of a large cache's scan. */
const NO_THROW = { throwIfNoEntry: false } as const

export function safeLstat(path: string): Stats | null {
  try {
    return lstatSync(path, NO_THROW) ?? null
  } catch {
    return null
  }
}

function safeReaddirTyped(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true })
  } catch {
    return []
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path)
  } catch {
    return []
  }
}
