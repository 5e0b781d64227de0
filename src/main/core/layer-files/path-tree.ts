// A tree of absolute paths, for applying layers one over another: a whiteout removes a whole subtree, an opaque
// directory clears one, in O(depth) instead of a scan over every path.
export class PathNode<T> {
  value: T | undefined = undefined
  children: Map<string, PathNode<T>> | undefined = undefined
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '')
}

export class PathTree<T> {
  readonly root = new PathNode<T>()

  find(path: string): PathNode<T> | undefined {
    let node: PathNode<T> | undefined = this.root
    for (const name of segments(path)) {
      node = node.children?.get(name)
      if (!node) return undefined
    }
    return node
  }

  /** The node at `path`, created with its missing parents (parents get no value). */
  ensure(path: string): PathNode<T> {
    let node = this.root
    for (const name of segments(path)) {
      node.children ??= new Map()
      let next = node.children.get(name)
      if (!next) {
        next = new PathNode<T>()
        node.children.set(name, next)
      }
      node = next
    }
    return node
  }

  /** Detaches the subtree at `path` and returns it. */
  remove(path: string): PathNode<T> | undefined {
    const parts = segments(path)
    const name = parts.pop()
    if (name === undefined) return undefined
    const parent = this.find(parts.join('/'))
    const node = parent?.children?.get(name)
    if (node) parent!.children!.delete(name)
    return node
  }
}

/** Every value in the subtree (the node's own first), iteratively: deep trees cannot overflow the stack. */
export function* subtreeValues<T>(node: PathNode<T>): Generator<T> {
  const stack: PathNode<T>[] = [node]
  while (stack.length > 0) {
    const n = stack.pop()!
    if (n.value !== undefined) yield n.value
    if (n.children) for (const c of n.children.values()) stack.push(c)
  }
}

/** Depth-first, parents before children, children in name order; calls `visit(path, node)`. */
export function walkSorted<T>(tree: PathTree<T>, visit: (path: string, node: PathNode<T>) => void): void {
  const stack: [string, PathNode<T>][] = []
  const pushChildren = (path: string, node: PathNode<T>): void => {
    if (!node.children) return
    const names = [...node.children.keys()].sort(compareNames).reverse()
    for (const name of names) stack.push([`${path}/${name}`, node.children.get(name)!])
  }
  pushChildren('', tree.root)
  while (stack.length > 0) {
    const [path, node] = stack.pop()!
    visit(path, node)
    pushChildren(path, node)
  }
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The entries of one layer as the cursor needs them: each one's name and its parent's index (-1: none listed). */
export interface LayerIndex {
  names: string[]
  parents: Int32Array
}

/**
 * Names and parent indices of a layer's entries: as the walk recorded them, or (entries built by hand,
 * without them) found through their paths.
 */
export function indexLayer(entries: readonly { path: string; name?: string; parent?: number }[]): LayerIndex {
  const names = entries.map((e) => e.name ?? e.path.slice(e.path.lastIndexOf('/') + 1))
  const parents = new Int32Array(entries.length).fill(-1)
  if (entries.every((e) => e.parent !== undefined)) {
    entries.forEach((e, i) => (parents[i] = e.parent!))
    return { names, parents }
  }
  const byPath = new Map<string, number>()
  entries.forEach((e, i) => {
    parents[i] = byPath.get(e.path.slice(0, e.path.lastIndexOf('/'))) ?? -1
    byPath.set(e.path, i)
  })
  return { names, parents }
}

/**
 * Lookups in a tree for the entries of one layer, which come parents first: an entry's parent directory was
 * handled just before, so its node is found by the parent's index, without a path: no Map here is keyed by a
 * path (see TreeEntry.parent for why that matters), and no entry costs a walk from the root.
 */
export class LayerCursor<T> {
  private readonly dirs: (PathNode<T> | undefined)[]

  constructor(
    private readonly tree: PathTree<T>,
    private readonly entries: readonly { path: string }[],
    private readonly index: LayerIndex
  ) {
    this.dirs = new Array<PathNode<T> | undefined>(entries.length)
  }

  private parentOf(i: number): PathNode<T> | undefined {
    const p = this.index.parents[i]
    if (p >= 0) return this.dirs[p] ?? this.tree.find(this.entries[p].path)
    // Not listed in this layer: the root's child, or (entries built by hand) a parent looked up by path.
    const path = this.entries[i].path
    const slash = path.lastIndexOf('/')
    return slash <= 0 ? this.tree.root : this.tree.find(path.slice(0, slash))
  }

  find(i: number): PathNode<T> | undefined {
    return this.parentOf(i)?.children?.get(this.index.names[i])
  }

  ensure(i: number): PathNode<T> {
    const parent = this.parentOf(i)
    if (!parent) return this.tree.ensure(this.entries[i].path)
    const name = this.index.names[i]
    parent.children ??= new Map()
    let node = parent.children.get(name)
    if (!node) {
      node = new PathNode<T>()
      parent.children.set(name, node)
    }
    return node
  }

  remove(i: number): PathNode<T> | undefined {
    const parent = this.parentOf(i)
    const name = this.index.names[i]
    const node = parent?.children?.get(name)
    if (node) parent!.children!.delete(name)
    this.dirs[i] = undefined
    return node
  }

  /** Lets this layer's later entries (the directory's children) find entry `i`'s node at once. */
  remember(i: number, node: PathNode<T>): PathNode<T> {
    this.dirs[i] = node
    return node
  }
}
