// Each listed image's own figures (what `ice ls` prints beside it), kept between runs of the built
// `ice`, so listing an unchanged cache of 10,000 images does not work them out again (the figures
// were a third of a human `ice ls` there).
//
// Why kept figures may be reused: they are a function of the database's rows, the order of the list,
// and the sizes of the files in the cache's folders. So they are kept under
//   - a hash of exactly the rows they were computed from (the CacheState and the listed references,
//     read in the same transaction as the list; hashing them costs a few per cent of computing);
//   - the stat of the cache's folders (revisionPaths without the database), taken BEFORE the rows are
//     read: msb adds and removes content files by renaming them in and unlinking them, which moves a
//     folder's modification time, and the files are named by digest and never rewritten (the rule the
//     stored sizes follow, size-store.ts). A folder changed within two ticks of the kernel's coarse
//     clock (which file times come from) is not trusted: a second change in the same tick would keep
//     its time, so nothing is kept then;
//   - the identity of the code that computed them.
// The database file itself is not in the key: every msb command writes to it (it takes and clears its
// install lease), which would make every `ice ls` after an msb command compute everything again.
//
// Only the built `ice` keeps figures, under the identity of its own bundle (a build rewrites it): run
// from the sources (tsx, tests) the code can change with nothing in the key to say so. Anything
// unexpected in a kept file is a miss.
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import type { ImageHandle, ImageUsage } from '../../../shared/contract'
import type { CacheState } from '../database/cache-state'
import { revisionPaths } from '../files/cache-revision'
import { folderStamp } from '../files/folder-stamp'
import { writeKeptFile } from '../files/kept-file'
import type { CacheLocation } from '../homes/home'
import { KeptFolderListings } from './kept-folder-listings'

const FORMAT = 1

export interface Listing {
  images: ImageHandle[]
  usages: ImageUsage[]
}

interface Kept {
  format: number
  code: string
  dbPath: string
  key: string
  usages: ImageUsage[]
}

/** Where and under what one listing's figures are kept: made before the rows are read (ListingStore.begin). */
export interface ListingKeep {
  /** The key of the figures computed from `state` for `references`, in the folders stamped before; null keeps nothing. */
  keyOf(state: CacheState, references: readonly string[]): string | null
  load(key: string): ImageUsage[] | null
  save(key: string, usages: ImageUsage[]): void
}

export class ListingStore {
  /** The content folders' listings for the whole-home view, kept beside the figures (kept-folder-listings.ts). */
  readonly folders: KeptFolderListings | null

  /**
   * `dir`: the explorer's own cache folder (never msb's home). `code`: the identity of the code that
   * computes the figures; null keeps nothing.
   */
  constructor(
    private readonly dir: string,
    private readonly code: string | null = bundleIdentity()
  ) {
    this.folders = code === null ? null : new KeptFolderListings(join(dir, 'folders'), code)
  }

  /**
   * Stamps the cache's folders, to be called BEFORE the rows are read; null when nothing may be kept
   * (run from the sources, or a folder changed too recently to be told from a change still to come).
   */
  begin(location: CacheLocation, nowNs = BigInt(Date.now()) * 1_000_000n): ListingKeep | null {
    if (this.code === null) return null
    const stamps = folderStamps(location, nowNs)
    if (stamps === null) return null
    const file = join(this.dir, `listing-${hash(location.dbPath).slice(0, 32)}.v8`)
    const code = this.code
    return {
      keyOf: (state, references) => {
        try {
          return hash(serialize({ stamps, state, references }))
        } catch {
          // A state that cannot be serialized cannot be told from another: nothing is kept.
          return null
        }
      },
      load: (key) => {
        let kept: Kept
        try {
          kept = deserialize(readFileSync(file)) as Kept
        } catch {
          return null
        }
        const valid =
          kept?.format === FORMAT &&
          kept.code === code &&
          kept.dbPath === location.dbPath &&
          kept.key === key &&
          Array.isArray(kept.usages)
        return valid ? kept.usages : null
      },
      save: (key, usages) => {
        const kept: Kept = { format: FORMAT, code, dbPath: location.dbPath, key, usages }
        writeKeptFile(file, serialize(kept))
      }
    }
  }
}

/** The stamp of every folder the figures depend on (folder-stamp.ts); null if one changed too recently. */
function folderStamps(location: CacheLocation, nowNs: bigint): string | null {
  const database = new Set([location.dbPath, `${location.dbPath}-wal`])
  const parts: string[] = []
  for (const path of revisionPaths(location)) {
    if (database.has(path)) continue
    const stamp = folderStamp(path, nowNs)
    if (stamp === null) return null
    parts.push(stamp)
  }
  return parts.join('|')
}

function hash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** This bundle file's identity; null when run from the TypeScript sources. */
function bundleIdentity(): string | null {
  const file = fileURLToPath(import.meta.url)
  if (!file.endsWith('.js')) return null
  try {
    const st = statSync(file, { bigint: true })
    return `${file}:${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`
  } catch {
    return null
  }
}
