// The cache's content folders' listings (every entry's lstat: kind, size, blocks, device, inode), kept
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
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { folderStamp, NO_FOLDER } from '../files/folder-stamp'
import { writeKeptFile } from '../files/kept-file'
import { LISTING_FIELDS, type Listing } from './home-scan'

const FORMAT = 1

/** Where the helper keeps one folder's listing, and under which stamp of the folder. */
export interface FolderKeep {
  file: string
  code: string
  path: string
  stamp: string
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
   * Stamps `path` now, before it is listed: the kept listing when it was kept under exactly this stamp,
   * else where to keep the listing about to be made (null when the folder is too young to be kept).
   */
  open(path: string, nowNs = BigInt(Date.now()) * 1_000_000n): { listing: Listing } | { keep: FolderKeep | null } {
    const stamp = folderStamp(path, nowNs)
    // A folder too young, or none: nothing to read or keep (the walk meets a missing one itself).
    if (stamp === null || stamp === NO_FOLDER) return { keep: null }
    const keep: FolderKeep = { file: join(this.dir, `${hash(path).slice(0, 32)}.v8`), code: this.code, path, stamp }
    const listing = loadListing(keep)
    return listing ? { listing } : { keep }
  }
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

/** Keeps `listing` as `keep` says; best effort (a folder that cannot be written only means listing again). */
export function keepListing(keep: FolderKeep, listing: Listing): void {
  const kept: Kept = { ...keep, format: FORMAT, names: listing.names, info: listing.info }
  writeKeptFile(keep.file, serialize(kept))
}

function hash(data: string): string {
  return createHash('sha256').update(data).digest('hex')
}
