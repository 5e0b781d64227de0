// Reads the file tree of a cached layer, `<cache>/layers/<diff_id>.erofs`, and keeps the last few trees.
//
// The path is built only from a validated digest, the `layers` directory must be a real directory (not a symlink
// out of the cache) and the file is opened with O_NOFOLLOW; the image is only ever read. A layer file never
// changes once msb renamed it into place, so a tree is reused while the file's size and mtime stay the same.
import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import { ErofsError } from '../erofs/erofs-error'
import { ErofsImage } from '../erofs/erofs-image'
import { DEFAULT_LIMITS, type TreeEntry, walkImage, type WalkLimits } from '../erofs/layer-tree'

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]{16,256}$/
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

/** The file name msb gives a layer (`Digest::to_path_safe`). */
export function layerFileName(diffId: string): string {
  if (!DIGEST.test(diffId)) throw new ErofsError('corrupt', `not a valid layer digest: ${diffId}`)
  return `${diffId.replace(/[^A-Za-z0-9+.=_-]/g, '_')}.erofs`
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
    try {
      const st = lstatSync(join(this.cacheDir, 'layers', layerFileName(diffId)))
      return st.isFile() ? st.size : null
    } catch {
      return null
    }
  }

  read(diffId: string): LayerTree {
    const dir = join(this.cacheDir, 'layers')
    const dirStat = lstatSync(dir, { throwIfNoEntry: false })
    if (!dirStat?.isDirectory()) throw new ErofsError('corrupt', 'the cache has no layers directory')
    const path = join(dir, layerFileName(diffId))
    const st = lstatSync(path, { throwIfNoEntry: false })
    if (!st) throw new ErofsError('corrupt', `layer file is missing: layers/${layerFileName(diffId)}`)
    const key = `${st.size}:${st.mtimeMs}:${st.ino}`
    const hit = this.cache.get(diffId)
    if (hit && hit.key === key) {
      this.cache.delete(diffId)
      this.cache.set(diffId, hit)
      return hit.tree
    }
    const image = ErofsImage.open(path)
    let tree: LayerTree
    try {
      const walked = walkImage(image, this.limits)
      tree = { diffId, entries: walked.entries, erofsBytes: image.size, bytes: walked.bytes }
    } finally {
      image.close()
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
