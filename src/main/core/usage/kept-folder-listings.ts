// The cache's content folders' listings (their entries' lstat: kind, size, blocks, device, inode), kept
// between runs of the built `ice` and window, so the whole-home view of an unchanged cache of 10,000
// images does not lstat its ~38,000 files again (the listing was the helper thread's ~270 ms of CPU in
// `ice df`, and on a busy machine that core is not free).
//
// Why a kept listing may be reused: the rule the stored sizes follow (size-store.ts). msb's content
// files are named by digest, written elsewhere and renamed into place, never rewritten: a folder whose
// identity and times (dev, ino, mtime, ctime) are what they were holds the same entries with the same
// numbers. The folder is stamped BEFORE it is listed, so a change during the listing leaves a stamp the
// folder no longer has; a folder changed within two ticks of the coarse clock (file times come from it)
// is neither read from nor kept, since a second change in the same tick would keep its time.
// Only the built code keeps listings, under its bundle's identity (listing-store.ts): the helper thread
// that lists a folder writes what it listed (listing-worker.ts), so keeping costs the main thread nothing.
// A kept file is named by its folder and by the stamp and code it was kept under, so whether one is kept
// for the folder as it is now is one stat; it is read only when a listing is asked for (an `ice ls` whose
// stored sizes and figures are kept never asks).
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { folderStamp, NO_FOLDER } from '../files/folder-stamp'
import { removeStaleParts, writeKeptFile } from '../files/kept-file'
import { LISTING_FIELDS, type Listing } from './home-scan'

const FORMAT = 2

/** Where the helper keeps one folder's listing, and under which stamp of the folder. */
export interface FolderKeep {
  file: string
  code: string
  path: string
  stamp: string
}

/** A listing kept under the folder's stamp now; read from its file when first asked for. */
export interface KeptListing {
  stamp: string
  read(): Listing | null
}

interface Kept extends FolderKeep {
  format: number
  names: string[]
  info: Float64Array
}

export class KeptFolderListings {
  /** `dir`: the explorer's own cache folder (never msb's home); `code`: the identity of the code that lists. */
  constructor(
    private readonly dir: string,
    private readonly code: string
  ) {}

  /**
   * Stamps `path` now, before it is listed: the listing kept under exactly this stamp, when there is one,
   * else where to keep the listing about to be made (null when the folder is too young to be kept).
   */
  open(path: string, nowNs = BigInt(Date.now()) * 1_000_000n): { kept: KeptListing } | { keep: FolderKeep | null } {
    const stamp = folderStamp(path, nowNs)
    // A folder too young, or none: nothing to read or keep (the walk meets a missing one itself).
    if (stamp === null || stamp === NO_FOLDER) return { keep: null }
    const keep: FolderKeep = { file: join(this.dir, keptName(path, this.code, stamp)), code: this.code, path, stamp }
    if (!existsSync(keep.file)) return { keep }
    let read: Listing | null | undefined
    return { kept: { stamp, read: () => (read === undefined ? (read = loadListing(keep)) : read) } }
  }
}

/** `<folder>-<code and stamp>.v8`: one file per folder at a time (keepListing removes the older one). */
function keptName(path: string, code: string, stamp: string): string {
  return `${folderKey(path)}-${hash(`${code}\0${stamp}`).slice(0, 16)}.v8`
}

/** The start of every name kept for the folder at `path` (before this naming, the whole name but `.v8`). */
function folderKey(path: string): string {
  return hash(path).slice(0, 32)
}

function loadListing(want: FolderKeep): Listing | null {
  let kept: Kept
  try {
    kept = deserialize(readFileSync(want.file)) as Kept
  } catch {
    return null
  }
  const valid =
    kept?.format === FORMAT &&
    kept.code === want.code &&
    kept.path === want.path &&
    kept.stamp === want.stamp &&
    Array.isArray(kept.names) &&
    kept.info instanceof Float64Array &&
    kept.info.length === kept.names.length * LISTING_FIELDS
  return valid ? { names: kept.names, info: kept.info } : null
}

/**
 * Keeps `listing` as `keep` says, and removes what was kept for the folder under an older stamp (never to
 * be read again); best effort: a folder that cannot be written only means listing again.
 */
export function keepListing(keep: FolderKeep, listing: Listing): void {
  const kept: Kept = { ...keep, format: FORMAT, names: listing.names, info: listing.info }
  if (!writeKeptFile(keep.file, serialize(kept))) return
  const dir = dirname(keep.file)
  const prefix = folderKey(keep.path)
  try {
    // An older stamp's listing (or one named as before stamps were in the name): never to be read again.
    for (const name of readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.v8') && name !== basename(keep.file)) unlinkSync(join(dir, name))
    }
  } catch {
    // Another run kept its own meanwhile, or the folder went: an older file is only a miss.
  }
  // And what a run killed while keeping one of them left.
  removeStaleParts(dir, prefix)
}

function hash(data: string): string {
  return createHash('sha256').update(data).digest('hex')
}
