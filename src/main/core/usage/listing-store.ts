// The list and each image's own figures (what `ice ls` prints), kept between runs of the built `ice`,
// so listing an unchanged cache of 10,000 images does not read and size it all again (most of a
// human `ice ls`: ~0.3 of its ~0.45 s of CPU).
//
// Why a kept listing may be reused: everything it is made of is in the database (a commit writes its
// log or, at a checkpoint, its file) or in the content directories (msb adds and removes files by
// renaming them in and unlinking them, which changes the directory; the files are named by digest and
// never rewritten). So the listing is kept under the identity, size and modification time of those
// paths (revisionPaths), taken BEFORE it is read: a change while it is read leaves the stamps behind, and the
// next run misses. A stamp as young as two ticks of the kernel's coarse clock (which file times come
// from) is not trusted: a second change within the same tick would keep the same times, so such a
// listing is not kept. The database is only stat-ed, never opened with fs (issue 26).
//
// Only the built `ice` keeps listings, under the identity of its own bundle (a build rewrites it): run
// from the sources (tsx, tests) the code that makes a listing can change with nothing in the key to
// say so. Anything unexpected in a kept file is a miss.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import type { ImageHandle, ImageUsage } from '../../../shared/contract'
import { revisionPaths } from '../files/cache-revision'
import type { CacheLocation } from '../homes/home'

const FORMAT = 1
/** Two ticks of the coarse clock at its slowest (HZ=100), as live-claims.ts. */
const RACY_NS = 20_000_000n

export interface Listing {
  images: ImageHandle[]
  usages: ImageUsage[]
}

interface Kept extends Listing {
  format: number
  code: string
  dbPath: string
  stamps: string
}

export class ListingStore {
  /**
   * `dir`: the explorer's own cache folder (never msb's home). `code`: the identity of the code that
   * makes listings; null keeps nothing.
   */
  constructor(
    private readonly dir: string,
    private readonly code: string | null = bundleIdentity()
  ) {}

  /**
   * The stamps a listing read from now on would be kept under; null when nothing may be kept (run from
   * the sources, or a stamped path changed too recently to be told from a change still to come).
   */
  stamps(location: CacheLocation, nowNs = BigInt(Date.now()) * 1_000_000n): string | null {
    if (this.code === null) return null
    const parts: string[] = []
    for (const path of revisionPaths(location)) {
      let st
      try {
        st = statSync(path, { bigint: true })
      } catch {
        parts.push('-')
        continue
      }
      // The modification time, not the change time: every write and every entry added or removed moves
      // it, while SQLite running as root moves the -wal's change time at each connection (it gives the
      // file its database's owner), which would make every listing too young to keep.
      if (nowNs - st.mtimeNs < RACY_NS) return null
      parts.push(`${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`)
    }
    return parts.join('|')
  }

  /** The listing kept for `location` under exactly `stamps`, or null. */
  load(location: CacheLocation, stamps: string): Listing | null {
    let kept: Kept
    try {
      kept = deserialize(readFileSync(this.fileOf(location))) as Kept
    } catch {
      return null
    }
    if (
      kept?.format !== FORMAT ||
      kept.code !== this.code ||
      kept.dbPath !== location.dbPath ||
      kept.stamps !== stamps ||
      !Array.isArray(kept.images) ||
      !Array.isArray(kept.usages)
    )
      return null
    return { images: kept.images, usages: kept.usages }
  }

  /** Keeps `listing`, read after `stamps` were taken; a store that cannot be written is no error. */
  save(location: CacheLocation, stamps: string, listing: Listing): void {
    const file = this.fileOf(location)
    const kept: Kept = { format: FORMAT, code: this.code ?? '', dbPath: location.dbPath, stamps, ...listing }
    try {
      mkdirSync(this.dir, { recursive: true })
      const part = `${file}.${process.pid}.part`
      writeFileSync(part, serialize(kept))
      renameSync(part, file)
    } catch {
      // Read-only or full: the next run reads the cache again.
    }
  }

  private fileOf(location: CacheLocation): string {
    return join(this.dir, `listing-${createHash('sha256').update(location.dbPath).digest('hex').slice(0, 32)}.v8`)
  }
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
