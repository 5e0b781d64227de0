// The Files view's tree over the flat rows the core sends (parents before children): children by index, computed
// once per answer, then the visible rows for the current expansion and filters in one walk. Pure functions, so the
// view stays a thin virtualised list and 50,000 entries cost a few milliseconds per change.
import type { FileRow } from '../../../shared/contract'

export interface FileTree {
  rows: FileRow[]
  depth: Uint16Array
  parent: Int32Array
  children: number[][]
  roots: number[]
}

export function buildFileTree(rows: FileRow[]): FileTree {
  const index = new Map<string, number>()
  const depth = new Uint16Array(rows.length)
  const parent = new Int32Array(rows.length).fill(-1)
  const children: number[][] = rows.map(() => [])
  const roots: number[] = []
  rows.forEach((row, i) => {
    index.set(row.path, i)
    const p = index.get(row.path.slice(0, row.path.lastIndexOf('/')))
    if (p === undefined) roots.push(i)
    else {
      parent[i] = p
      depth[i] = depth[p] + 1
      children[p].push(i)
    }
  })
  return { rows, depth, parent, children, roots }
}

export interface TreeFilter {
  /** Case-insensitive part of the path. */
  search: string
  /** Hide directories a layer only lists as parents of its changes (change "modified", nothing changed below). */
  changesOnly: boolean
}

export function isFiltering(f: TreeFilter): boolean {
  return f.search.trim() !== '' || f.changesOnly
}

/** Rows the filter keeps, with every ancestor of a kept row (null when nothing is filtered). */
export function includedRows(tree: FileTree, f: TreeFilter): Uint8Array | null {
  if (!isFiltering(f)) return null
  const needle = f.search.trim().toLowerCase()
  const keep = new Uint8Array(tree.rows.length)
  tree.rows.forEach((row, i) => {
    const quietDir = f.changesOnly && row.type === 'dir' && (row.change === 'modified' || row.change === undefined)
    const matches = !quietDir && (needle === '' || row.path.toLowerCase().includes(needle))
    if (!matches) return
    for (let j = i; j >= 0 && !keep[j]; j = tree.parent[j]!) keep[j] = 1
  })
  return keep
}

/**
 * The rows on screen, in tree order. Unfiltered, `toggled` holds the expanded directories; while filtering, every
 * kept directory is open and `toggled` holds the ones the user closed.
 */
export function visibleRows(tree: FileTree, included: Uint8Array | null, toggled: ReadonlySet<number>): number[] {
  const out: number[] = []
  const stack = [...tree.roots].reverse()
  while (stack.length > 0) {
    const i = stack.pop()!
    if (included && !included[i]) continue
    out.push(i)
    const open = included ? !toggled.has(i) : toggled.has(i)
    if (!open) continue
    const kids = tree.children[i]
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k])
  }
  return out
}

/** Every ancestor of `i` (for revealing a row: a biggest file or a wasted path clicked). */
export function ancestorsOf(tree: FileTree, i: number): number[] {
  const out: number[] = []
  for (let p = tree.parent[i]; p >= 0; p = tree.parent[p]!) out.push(p)
  return out
}
