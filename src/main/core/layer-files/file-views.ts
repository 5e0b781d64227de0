// Turns an analysis into what the contract answers: the rows of the merged view or of one layer, directory totals,
// the biggest files and the waste figures.
import type { FileRow, ImageFiles, LayerFilesSummary } from '../../../shared/contract'
import type { TreeEntry } from '../erofs/layer-tree'
import type { ImageAnalysis, LayerChange } from './image-analysis'
import { type PathNode, PathTree, walkSorted } from './path-tree'

export const BIGGEST_LIMIT = 100
export const WASTED_PATHS_LIMIT = 1000

function rowOf(e: TreeEntry, layer: number): FileRow {
  const row: FileRow = { path: e.path, type: e.type, size: e.size, mode: e.mode, uid: e.uid, gid: e.gid, layer }
  if (e.target !== undefined) row.target = e.target
  if (e.type === 'file' && e.nlink > 1) row.nlink = e.nlink
  return row
}

/**
 * Rows in tree order with `totalBytes` on directories: Σ of `bytesOf` below, in this view (a hard link's data
 * counts once, under its first name).
 */
function rowsOfTree<T>(tree: PathTree<T>, toRow: (value: T) => FileRow, bytesOf: (value: T) => number): FileRow[] {
  const rows: FileRow[] = []
  const rowOfNode = new Map<PathNode<T>, FileRow>()
  walkSorted(tree, (_path, node) => {
    if (node.value === undefined) return
    const row = toRow(node.value)
    rows.push(row)
    rowOfNode.set(node, row)
  })
  // Totals bottom-up, iteratively (a deep tree cannot overflow the stack).
  const sums = new Map<PathNode<T>, number>()
  const stack: [PathNode<T>, boolean][] = [[tree.root, false]]
  while (stack.length > 0) {
    const [node, childrenDone] = stack.pop()!
    if (!childrenDone) {
      stack.push([node, true])
      if (node.children) for (const c of node.children.values()) stack.push([c, false])
      continue
    }
    let sum = 0
    if (node.children) for (const c of node.children.values()) sum += sums.get(c) ?? 0
    const row = rowOfNode.get(node)
    if (row?.type === 'dir') row.totalBytes = sum
    else if (node.value !== undefined) sum += bytesOf(node.value)
    sums.set(node, sum)
  }
  return rows
}

function biggest(rows: FileRow[]): FileRow[] {
  return rows
    .filter((r) => r.type === 'file' && r.change !== 'deleted')
    .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1))
    .slice(0, BIGGEST_LIMIT)
}

export function mergedRows(analysis: ImageAnalysis): FileRow[] {
  return rowsOfTree(
    analysis.merged,
    (v) => rowOf(v.entry, v.layer),
    (v) => v.diveSize
  )
}

export function layerRows(changes: LayerChange[], layer: number): FileRow[] {
  const tree = new PathTree<{ row: FileRow; bytes: number }>()
  for (const c of changes) {
    const row = rowOf(c.entry, layer)
    row.change = c.change
    if (c.change === 'deleted') {
      row.type = c.type
      row.size = 0
    }
    tree.ensure(c.entry.path).value = { row, bytes: c.diveSize }
  }
  return rowsOfTree(
    tree,
    (v) => v.row,
    (v) => v.bytes
  )
}

export function imageFilesView(
  base: { reference: string; manifestDigest: string | null; layers: LayerFilesSummary[] },
  analysis: ImageAnalysis,
  layer: number | null
): ImageFiles {
  const entries = layer === null ? mergedRows(analysis) : layerRows(analysis.changes[layer] ?? [], layer)
  return {
    ...base,
    layer,
    entries,
    biggest: biggest(entries),
    waste: {
      efficiency: analysis.efficiency,
      wastedBytes: analysis.wastedBytes,
      hiddenBytes: analysis.hiddenBytes,
      paths: analysis.wasted.slice(0, WASTED_PATHS_LIMIT),
      pathCount: analysis.wasted.length
    }
  }
}
