// Reads the file tree of a cached layer, `<cache>/layers/<diff_id>.erofs`, and keeps the last few trees.
//
// Paths follow the rules of the rest of the core, from the one place each is written: the file name is
// file-names.ts's (built only from a valid sha256 digest), and `layers/` is resolved by cache-paths.ts
// as msb resolves it (a symlink to a directory elsewhere is the folder). The file itself is opened with
// O_NOFOLLOW, so a symlink inside the folder is never followed; the image is only ever read. A layer
// file never changes once msb renamed it into place, so a tree is reused while the file's size and
// mtime stay the same.
import { lstatSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { HeldLock } from '../locks/flock'
import { trySharedLease } from '../locks/storage-lease'
import { contentDirectory, describeMissingDirectory } from '../homes/cache-paths'
import { layerFileName } from '../homes/file-names'
import { ErofsError } from '../erofs/erofs-error'
import { CacheError } from '../../../shared/errors'
import { ErofsImage } from '../erofs/erofs-image'
import { DEFAULT_LIMITS, type TreeEntry, walkImage, type WalkLimits } from '../erofs/layer-tree'

/**
 * Trees kept, by their estimated cost (walkImage's `bytes`: entries and paths), not their count: enough
 * for a few large images, bounded whatever the cache holds, long paths included.
 */
const MAX_CACHED_BYTES = 512 * 1024 * 1024

export interface LayerTree {
  diffId: string
  entries: TreeEntry[]
  erofsBytes: number
  /** What holding the entries costs, estimated (walkImage). */
  bytes: number
}

/** The layer's file name (file-names.ts); a diff id that is no sha256 digest names no file. */
function fileNameOf(diffId: string): string {
  const name = layerFileName(diffId)
  if (name === null) throw new ErofsError('corrupt', `not a valid layer digest: ${diffId}`)
  return name
}

/** How long a reader tries for its lease while a deleter holds it (msb's deleters hold it only to unlink). */
const READER_WAIT_MS = 400
const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * A reader's shared lease on a layer file, as msb's readers take it (crates/image/lib/storage_lease.rs
 * @a9ba0957, `shared`), so a msb 0.7.7+ deleter leaves the file alone while it is read. msb's readers block;
 * the explorer's read path is synchronous, so it tries without blocking and retries briefly, then fails with
 * a clear message. A cache the explorer may not write to (no lease folder can be made) is read without one.
 */
function readerLease(path: string): HeldLock | null {
  const deadline = Date.now() + READER_WAIT_MS
  for (;;) {
    let lease: HeldLock | null
    try {
      lease = trySharedLease(path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return null
      throw error
    }
    if (lease) return lease
    if (Date.now() >= deadline) {
      throw new CacheError(
        'Busy',
        `layer file is being deleted by a running msb (its storage lease is held): ${basename(path)}; try again`
      )
    }
    Atomics.wait(pause, 0, 0, 20)
  }
}

export class LayerStore {
  private readonly cache = new Map<string, { key: string; tree: LayerTree }>()
  private cachedBytes = 0

  constructor(
    readonly cacheDir: string,
    private readonly limits: WalkLimits = DEFAULT_LIMITS
  ) {}

  /** The size of the layer's EROFS file, or null when it is missing. */
  fileBytes(diffId: string): number | null {
    const dir = contentDirectory(this.cacheDir, 'layers')
    const name = layerFileName(diffId)
    if (dir === null || name === null) return null
    try {
      const st = lstatSync(join(dir, name))
      return st.isFile() ? st.size : null
    } catch {
      return null
    }
  }

  read(diffId: string): LayerTree {
    const name = fileNameOf(diffId)
    const dir = contentDirectory(this.cacheDir, 'layers')
    if (dir === null)
      throw new ErofsError('corrupt', `no layers folder: ${describeMissingDirectory(this.cacheDir, 'layers')}`)
    const path = join(dir, name)
    const st = lstatSync(path, { throwIfNoEntry: false })
    if (!st) throw new ErofsError('corrupt', `layer file is missing: layers/${name}`)
    const key = `${st.size}:${st.mtimeMs}:${st.ino}`
    const hit = this.cache.get(diffId)
    if (hit && hit.key === key) {
      this.cache.delete(diffId)
      this.cache.set(diffId, hit)
      return hit.tree
    }
    const lease = readerLease(path)
    let tree: LayerTree
    try {
      if (!lstatSync(path, { throwIfNoEntry: false })) {
        throw new ErofsError('corrupt', `layer file is missing: layers/${name} (removed meanwhile)`)
      }
      const image = ErofsImage.open(path)
      try {
        const walked = walkImage(image, this.limits)
        tree = { diffId, entries: walked.entries, erofsBytes: image.size, bytes: walked.bytes }
      } finally {
        image.close()
      }
    } finally {
      lease?.release()
    }
    this.remember(diffId, key, tree)
    return tree
  }

  private remember(diffId: string, key: string, tree: LayerTree): void {
    const old = this.cache.get(diffId)
    if (old) {
      this.cachedBytes -= old.tree.bytes
      this.cache.delete(diffId)
    }
    if (tree.bytes > MAX_CACHED_BYTES) return
    while (this.cachedBytes + tree.bytes > MAX_CACHED_BYTES && this.cache.size > 0) {
      const [oldest, value] = this.cache.entries().next().value as [string, { tree: LayerTree }]
      this.cachedBytes -= value.tree.bytes
      this.cache.delete(oldest)
    }
    this.cache.set(diffId, { key, tree })
    this.cachedBytes += tree.bytes
  }
}
