// Walking a home's files as msb's storage usage does (sdk/rust/lib/storage/usage.rs @dbc01e8f): regular
// files only, hard links once per scan (by device and inode), symlinks and special files never followed
// (skipped and counted), allocated = st_blocks × 512. Shared by msb's `df` view and the explorer's areas.
//
// Both views walk the same files (the image cache alone is ~38,000 at 10,000 images, and msb's view walks
// it twice: per component and per category), so one usage reads each directory and lstat-s each path
// once, through one FileTree, and every walk of it sums the same observations.
import { type Dirent, lstatSync, readdirSync, type Stats } from 'node:fs'
import { join, sep } from 'node:path'
import type { FileEntry } from '../files/cache-files'

export interface Scan {
  logical: number
  allocated: number
  files: number
  skipped: number
  /** Files counted, by device then inode: hard links once per scan. */
  seen: Map<number, Set<number>>
}

export const newScan = (seen = new Map<number, Set<number>>()): Scan => ({
  logical: 0,
  allocated: 0,
  files: 0,
  skipped: 0,
  seen
})

/**
 * What a walk, and the stored sizes (cache-files.ts), need of one entry's lstat: six numbers an entry (no
 * Stats object kept per file). A symlink is skipped by the walk like any other non-file; the stored sizes
 * tell it apart.
 */
const enum Kind {
  Gone = 0,
  File = 1,
  Directory = 2,
  Skipped = 3,
  Symlink = 4,
  /** A lock file in one of msb's lock folders, taken as the empty file msb makes (listDirectory): no lstat, no inode. */
  EmptyLock = 5
}
export const LISTING_FIELDS = 6 // kind, size, blocks, dev, ino, mtime (ms)

export interface Listing {
  names: string[]
  info: Float64Array
}

/**
 * Directory listings with their entries' lstat, and lstat results of single paths, each read once for the
 * life of one tree (one usage). A listing keeps numbers, not the ~38,000 Stats objects of a large cache.
 */
export class FileTree {
  private readonly stats = new Map<string, Stats | null>()
  private readonly listings = new Map<string, Listing | { error: unknown }>()

  constructor(
    /** Folders already being listed on a helper thread (listing-prefetch.ts). */
    private readonly prefetch: { take(path: string): Listing | undefined } | null = null,
    /** msb's folders of lock files (content folders, their lease folders): see listDirectory. */
    private readonly lockFolders: ReadonlySet<string> = new Set()
  ) {}

  lstat(path: string): Stats | null {
    let st = this.stats.get(path)
    if (st === undefined) {
      st = lstatOnce(path)
      this.stats.set(path, st)
    }
    return st
  }

  /** The entries of `path` with their lstat; throws what readdir threw, every time it is asked. */
  listing(path: string): Listing {
    let listing = this.listings.get(path)
    if (listing === undefined) {
      try {
        listing = this.prefetch?.take(path) ?? listDirectory(path, this.lockFolders.has(path))
      } catch (error) {
        listing = { error }
      }
      this.listings.set(path, listing)
    }
    if ('error' in listing) throw listing.error
    return listing
  }

  /** `readdirSync(path, { withFileTypes: true })` (not kept: for the few folders read once). */
  readDir(path: string): Dirent[] {
    return readdirSync(path, { withFileTypes: true })
  }
}

/**
 * `path`'s entries with their lstat. In one of msb's folders of lock files (`lockFolder`: a content folder
 * or its lease folder) a regular file named `*.lock` is taken as empty without an lstat: msb only ever
 * flocks them, they are a quarter of a large cache's content entries and, once msb 0.7.7+ or the explorer
 * has removed images, tens of thousands of lease files that are never deleted; the stored sizes count
 * them so too (cache-files.ts, lockEntry).
 */
export function listDirectory(path: string, lockFolder = false): Listing {
  const dirents = lockFolder ? readdirSync(path, { withFileTypes: true }) : null
  const names = dirents ? dirents.map((d) => d.name) : readdirSync(path)
  const info = new Float64Array(names.length * LISTING_FIELDS)
  const prefix = path.endsWith(sep) ? path : path + sep
  for (let i = 0; i < names.length; i++) {
    const at = i * LISTING_FIELDS
    if (dirents?.[i].isFile() && names[i].endsWith('.lock')) {
      info[at] = Kind.EmptyLock
      continue
    }
    const st = lstatOnce(prefix + names[i])
    if (!st) continue // Kind.Gone: removed since the listing
    info[at] = st.isSymbolicLink()
      ? Kind.Symlink
      : st.isDirectory()
        ? Kind.Directory
        : st.isFile()
          ? Kind.File
          : Kind.Skipped
    info[at + 1] = st.size
    info[at + 2] = st.blocks
    info[at + 3] = st.dev
    info[at + 4] = st.ino
    info[at + 5] = st.mtimeMs
  }
  return { names, info }
}

function lstatOnce(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null
  } catch {
    return null
  }
}

/** msb's `walk`: regular files (hard links once per scan), directories without following symlinks. */
export function walk(path: string, scan: Scan, tree: FileTree, depth = 0): void {
  if (depth > 128) throw new Error('storage directory nesting exceeds 128 levels')
  const { names, info } = tree.listing(path)
  for (let i = 0; i < names.length; i++) {
    const at = i * LISTING_FIELDS
    const kind = info[at]
    if (kind === Kind.File) countFile(scan, info[at + 3], info[at + 4], info[at + 1], info[at + 2])
    else if (kind === Kind.EmptyLock) scan.files++
    else if (kind === Kind.Directory) walk(join(path, names[i]), scan, tree, depth + 1)
    else if (kind === Kind.Skipped || kind === Kind.Symlink) scan.skipped++
  }
}

export function addFile(scan: Scan, st: Stats): void {
  countFile(scan, st.dev, st.ino, st.size, st.blocks)
}

function countFile(scan: Scan, dev: number, ino: number, size: number, blocks: number): void {
  let inodes = scan.seen.get(dev)
  if (!inodes) scan.seen.set(dev, (inodes = new Set()))
  if (inodes.has(ino)) return
  inodes.add(ino)
  scan.logical += size
  scan.allocated += blocks * 512
  scan.files++
}

/**
 * A content folder's listing as the stored sizes keep it (cache-files.ts): every entry still there, by
 * name, with the numbers an lstat of it would give them. The caller filters names as its own scan does.
 */
export function fileEntriesOf({ names, info }: Listing): Map<string, FileEntry> {
  const entries = new Map<string, FileEntry>()
  for (let i = 0; i < names.length; i++) {
    const at = i * LISTING_FIELDS
    const kind = info[at]
    if (kind === Kind.Gone) continue
    const isFile = kind === Kind.File || kind === Kind.EmptyLock
    entries.set(names[i], {
      bytes: isFile ? info[at + 1] : 0,
      mtimeMs: info[at + 5],
      isFile,
      isSymlink: kind === Kind.Symlink
    })
  }
  return entries
}
