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

/**
 * Lookups in a tree for the entries of one layer, which come parents first: a path's parent was looked up just
 * before, so it is found in a map by its path instead of walking from the root (one string slice per entry).
 */
export class LayerCursor<T> {
  private readonly dirs = new Map<string, PathNode<T>>()

  constructor(private readonly tree: PathTree<T>) {}

  private parentOf(path: string): { parent: PathNode<T> | undefined; name: string } {
    const slash = path.lastIndexOf('/')
    const parentPath = path.slice(0, slash)
    const parent = parentPath === '' ? this.tree.root : (this.dirs.get(parentPath) ?? this.tree.find(parentPath))
    return { parent, name: path.slice(slash + 1) }
  }

  find(path: string): PathNode<T> | undefined {
    const { parent, name } = this.parentOf(path)
    return parent?.children?.get(name)
  }

  ensure(path: string): PathNode<T> {
    const { parent, name } = this.parentOf(path)
    if (!parent) return this.tree.ensure(path)
    parent.children ??= new Map()
    let node = parent.children.get(name)
    if (!node) {
      node = new PathNode<T>()
      parent.children.set(name, node)
    }
    return node
  }

  remove(path: string): PathNode<T> | undefined {
    const { parent, name } = this.parentOf(path)
    const node = parent?.children?.get(name)
    if (node) parent!.children!.delete(name)
    this.dirs.delete(path)
    return node
  }

  /** Lets this layer's later entries find their parent directory `path` at once. */
  remember(path: string, node: PathNode<T>): PathNode<T> {
    this.dirs.set(path, node)
    return node
  }
}
