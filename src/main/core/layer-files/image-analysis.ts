// Applies an image's layers bottom-up, as overlayfs does for a sandbox, and records on the way what each layer
// does to each path and which bytes end up unreachable.
//
// Two stacks are kept. The true one follows the OCI rules: a whiteout deletes the path and everything below it, an
// opaque directory hides every lower entry beneath it, a non-directory replaces a lower directory with its whole
// subtree. The second one reproduces dive's (wagoodman/dive, filetree/efficiency.go and StackTreeRange) so that
// the efficiency score and wasted bytes are dive's own figures on the same layers: dive visits only the leaves of
// each layer's tree, sizes a file by its tar header (symlinks and the second name of a hard link count 0), sizes a
// whiteout of a directory by everything below it in its stack of the lower layers, and ignores opaque markers.
import type { FileChange, FileType, PathWrite, WastedPath } from '../../../shared/contract'
import { ErofsError } from '../erofs/erofs-error'
import type { TreeEntry } from '../erofs/layer-tree'
import { indexLayer, LayerCursor, type PathNode, PathTree, subtreeValues } from './path-tree'

export interface MergedValue {
  entry: TreeEntry
  layer: number
  /** The size dive gives this entry (see above). */
  diveSize: number
}

export interface LayerChange {
  entry: TreeEntry
  change: FileChange
  /** Bytes the entry adds to totals: a hard link's later names add none. */
  diveSize: number
  /** For deletions: the type of what is deleted ('char' when nothing was below). */
  type: FileType
}

export interface LayerStats {
  entries: number
  fileBytes: number
  added: number
  modified: number
  deleted: number
  opaque: number
}

export interface ImageAnalysis {
  merged: PathTree<MergedValue>
  changes: LayerChange[][]
  stats: LayerStats[]
  efficiency: number
  wastedBytes: number
  hiddenBytes: number
  /** Paths written more than once, largest cumulative bytes first. */
  wasted: WastedPath[]
}

interface DiveRecord {
  cumulative: number
  min: number
  /** Most paths are written once: their one write is kept without an array. */
  first: PathWrite
  more: PathWrite[] | null
}

/** dive's sizes for one layer: regular files by size, a hard link's later names 0, everything else 0. */
function diveSizes(entries: TreeEntry[]): number[] {
  const seen = new Set<number>()
  return entries.map((e) => {
    if (e.type !== 'file') return 0
    if (e.nlink > 1) {
      if (seen.has(e.nid)) return 0
      seen.add(e.nid)
    }
    return e.size
  })
}

function fileBytesOf(node: Parameters<typeof subtreeValues<MergedValue>>[0]): number {
  let n = 0
  for (const v of subtreeValues(node)) n += v.diveSize
  return n
}

/**
 * An opaque root (a `.wh..wh..opq` at the top of a layer's tar, kept by msb as the xattr on the layer's root) is
 * not applied: msb 0.6.18's merged image (fsmeta), which is what a sandbox mounts, still lists every lower entry
 * at the root (observed; the tests compare with it), although the OCI rules would hide them.
 */
export function analyseImage(layers: TreeEntry[][], deadline = Infinity): ImageAnalysis {
  // The walk of each layer has its deadline; this bounds the analysis too (checked every 1,024 steps).
  let steps = 0
  const checkDeadline = () => {
    if ((++steps & 1023) === 0 && performance.now() > deadline) {
      throw new ErofsError('limit', 'analysing the image took too long; it is too large or too deep to show')
    }
  }
  const merged = new PathTree<MergedValue>()
  const diveStack = new PathTree<DiveNode>()
  // dive's records by path, kept in a tree of names (see LayerCursor), in the order paths were first written.
  const recordTree = new PathTree<DiveRecord>()
  const records: { path: string; rec: DiveRecord }[] = []
  const changes: LayerChange[][] = []
  const stats: LayerStats[] = []
  let hiddenBytes = 0

  layers.forEach((entries, layer) => {
    const sizes = diveSizes(entries)
    const layerChanges: LayerChange[] = []
    const st: LayerStats = { entries: entries.length, fileBytes: 0, added: 0, modified: 0, deleted: 0, opaque: 0 }
    const index = indexLayer(entries)
    // Leaves of this layer's own tree: dive visits only those.
    const isParent = new Uint8Array(entries.length)
    for (const p of index.parents) if (p >= 0) isParent[p] = 1
    const mergedCursor = new LayerCursor(merged, entries, index)
    const diveCursor = new LayerCursor(diveStack, entries, index)
    const recordCursor = new LayerCursor(recordTree, entries, index)

    entries.forEach((e, i) => {
      checkDeadline()
      const node = mergedCursor.find(i)
      const recordNode: PathNode<DiveRecord> = recordCursor.ensure(i)
      if (e.type === 'dir') recordCursor.remember(i, recordNode)
      const below = node?.value
      const diveSize = sizes[i]
      st.fileBytes += diveSize

      // dive's record of this leaf, against dive's stack of the layers below.
      if (!isParent[i]) {
        let bytes = diveSize
        if (e.whiteout) {
          const lower = diveCursor.find(i)
          bytes = 0
          if (lower?.value?.dir) for (const v of subtreeValues(lower)) bytes += v.size
        }
        const attributesOnly =
          !e.whiteout &&
          below !== undefined &&
          below.entry.type === e.type &&
          below.entry.size === e.size &&
          below.entry.target === e.target &&
          (below.entry.mode !== e.mode || below.entry.uid !== e.uid || below.entry.gid !== e.gid)
        const write: PathWrite = {
          layer,
          action: e.whiteout ? 'deleted' : below ? 'modified' : 'added',
          bytes,
          hidden: false,
          attributesOnly
        }
        const rec = recordNode.value
        if (!rec) {
          recordNode.value = { cumulative: bytes, min: bytes, first: write, more: null }
          records.push({ path: e.path, rec: recordNode.value })
        } else {
          rec.cumulative += bytes
          if (bytes < rec.min) rec.min = bytes
          ;(rec.more ??= []).push(write)
        }
      }
      applyToDiveStack(diveCursor, i, e, diveSize)

      // The true merge.
      if (e.whiteout) {
        layerChanges.push({ entry: e, change: 'deleted', diveSize: 0, type: below?.entry.type ?? 'char' })
        st.deleted++
        const removed = mergedCursor.remove(i)
        if (removed) hiddenBytes += fileBytesOf(removed)
        return
      }
      const value: MergedValue = { entry: e, layer, diveSize }
      const change: FileChange = e.opaque ? 'opaque' : below ? 'modified' : 'added'
      layerChanges.push({ entry: e, change, diveSize, type: e.type })
      st[change]++
      const target = node ?? mergedCursor.ensure(i)
      if (e.type === 'dir') mergedCursor.remember(i, target)
      if (below) {
        if (e.type === 'dir' && below.entry.type === 'dir') {
          if (e.opaque && target.children) {
            for (const child of target.children.values()) hiddenBytes += fileBytesOf(child)
            target.children = undefined
          }
        } else {
          hiddenBytes += fileBytesOf(target)
          target.children = undefined
        }
      }
      target.value = value
    })
    changes.push(layerChanges)
    stats.push(st)
  })

  let minimum = 0
  let discovered = 0
  const wasted: WastedPath[] = []
  let wastedBytes = 0
  for (const { path, rec } of records) {
    checkDeadline()
    minimum += rec.min
    discovered += rec.cumulative
    if (rec.more === null) continue
    wastedBytes += rec.cumulative
    const final = merged.find(path)?.value
    const writes = [rec.first, ...rec.more]
    let hidden = 0
    for (const w of writes) {
      w.hidden = w.action !== 'deleted' && !(final && final.layer === w.layer)
      if (w.hidden) hidden += w.bytes
    }
    wasted.push({ path, cumulativeBytes: rec.cumulative, hiddenBytes: hidden, writes })
  }
  wasted.sort((a, b) => b.cumulativeBytes - a.cumulativeBytes || (a.path < b.path ? -1 : 1))
  return {
    merged,
    changes,
    stats,
    efficiency: discovered === 0 ? 1 : minimum / discovered,
    wastedBytes,
    hiddenBytes,
    wasted
  }
}

interface DiveNode {
  size: number
  dir: boolean
}

/** dive's stack: a whiteout removes the path; anything else sets the node's payload and keeps its children. */
function applyToDiveStack(stack: LayerCursor<DiveNode>, i: number, e: TreeEntry, diveSize: number): void {
  if (e.whiteout) {
    stack.remove(i)
    return
  }
  const node = stack.ensure(i)
  node.value = { size: diveSize, dir: e.type === 'dir' }
  if (e.type === 'dir') stack.remember(i, node)
}
