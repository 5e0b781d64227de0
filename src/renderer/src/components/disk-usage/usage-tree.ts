// The disk-usage treemap's data: the whole msb home as a tree. The image cache as registry → namespace →
// repository → tag (one image per manifest, so aliases are not counted twice), beside "Shared layers", the
// flat rootfs artifacts (by image, and the unused ones), data a sandbox still holds, memory and "Other
// cache files"; and beside the cache every other area of the home (sandboxes, volumes, snapshots, logs,
// the database, whatever else lies there), each its own kind. The
// map shows one level at a time: the children of the node the user zoomed into. A level with more than
// MAX_TILES children keeps its few big ones as they are and folds the rest into runs of names
// ("app-1 – app-1067", in natural order) to zoom into, so even 10,000 repositories in one namespace
// draw a few dozen labelled tiles per level, never thousands of unlabelled slivers.
import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy'
import type { CacheUsage, HomeAreaKind } from '../../../../shared/contract'
import { splitReference } from '../../../../shared/reference'

export type UsageKind =
  | 'root'
  | 'registry'
  | 'namespace'
  | 'repository'
  | 'image'
  | 'shared'
  | 'memory'
  | 'other'
  /** A run of names of one level (folded when the level has too many children). */
  | 'range'
  | 'flat'
  | 'flat-artifact'
  | 'held'
  | 'area-group'
  | 'sandbox'
  | 'volume'
  | 'snapshot'
  | 'logs'
  | 'database'
  | 'home-other'

export interface UsageNode {
  /** Unique within the tree; the zoom path is a list of these. */
  id: string
  name: string
  kind: UsageKind
  bytes: number
  children?: UsageNode[]
  /** Images: every reference to the manifest. */
  references?: string[]
  inUse?: boolean
  /** Images: 0-4, so neighbours differ in shade. */
  shade?: number
  /** Groups: how many images they hold. */
  images?: number
  /** Areas outside the image cache: the msb command that frees it (null: msb frees none of it). */
  freedBy?: string | null
  /** Area groups (sandboxes, volumes, snapshots): the kind of area they hold, for their colour. */
  areaKind?: HomeAreaKind
  /** Flat artifacts: why it is unused (null while its image needs it). */
  why?: string | null
}

export const MAX_TILES = 60
/** A child keeps a tile of its own in a folded level when it holds at least this share of the level. */
const BIG_SHARE = 0.02
/** Docker Hub's official images ("alpine" is docker.io/library/alpine). */
const DEFAULT_NAMESPACE = 'library'
/** Docker Hub's short names ("alpine") have no registry in the reference. */
const DEFAULT_REGISTRY = 'docker.io'

function group(map: Map<string, UsageNode>, id: string, name: string, kind: UsageKind): UsageNode {
  let node = map.get(id)
  if (!node) {
    node = { id, name, kind, bytes: 0, children: [], images: 0 }
    map.set(id, node)
  }
  return node
}

export function usageTree(usage: CacheUsage): UsageNode {
  const registries = new Map<string, UsageNode>()
  const namespaces = new Map<string, UsageNode>()
  const repositories = new Map<string, UsageNode>()
  const byManifest = new Map<string, UsageNode>()
  for (const image of usage.images) {
    const key = image.manifestDigest ?? `ref:${image.reference}`
    const known = byManifest.get(key)
    if (known) {
      known.references!.push(image.reference)
      known.inUse ||= image.sandboxes.length > 0
      continue
    }
    const parts = splitReference(image.reference)
    const registryName = parts.registry ?? DEFAULT_REGISTRY
    const registry = group(registries, `r:${registryName}`, registryName, 'registry')
    // `acme/tool` is repository `tool` in namespace `acme`; a Docker Hub short name is in `library`;
    // elsewhere a one-part name has no namespace and sits under its registry.
    const slash = parts.repository.indexOf('/')
    const namespaceName =
      slash > 0 ? parts.repository.slice(0, slash) : registryName === DEFAULT_REGISTRY ? DEFAULT_NAMESPACE : null
    const repositoryName = slash > 0 ? parts.repository.slice(slash + 1) : parts.repository
    const namespace =
      namespaceName === null
        ? null
        : group(namespaces, `n:${registryName}/${namespaceName}`, namespaceName, 'namespace')
    if (namespace && namespace.images === 0) registry.children!.push(namespace)
    const repository = group(
      repositories,
      `p:${registryName}/${namespaceName === null ? '' : `${namespaceName}/`}${repositoryName}`,
      // The breadcrumb names the namespace; the tile names what differs.
      repositoryName,
      'repository'
    )
    if (repository.images === 0) (namespace ?? registry).children!.push(repository)
    const leaf: UsageNode = {
      id: `m:${key}`,
      name: parts.tag ? `:${parts.tag}` : parts.digest ? `@${parts.digest.slice(7, 19)}` : parts.repository,
      kind: 'image',
      bytes: image.uniqueBytes,
      references: [image.reference],
      inUse: image.sandboxes.length > 0,
      shade: byManifest.size % 5
    }
    byManifest.set(key, leaf)
    repository.children!.push(leaf)
    repository.bytes += leaf.bytes
    repository.images! += 1
    if (namespace) {
      namespace.bytes += leaf.bytes
      namespace.images! += 1
    }
    registry.bytes += leaf.bytes
    registry.images! += 1
  }
  let imageBytes = 0
  for (const r of registries.values()) imageBytes += r.bytes
  // msb 0.7's snapshot memory is its own area: it is no image's bytes and no prune frees it.
  const memory = usage.totals.find((t) => t.kind === 'memory')?.bytes ?? 0
  const flatTotal = usage.totals.find((t) => t.kind === 'flat')?.bytes ?? 0
  // Flat blobs are sparse ext4 images (256 MiB long, mostly holes): the map shows what they hold on disk.
  const flatOnDisk = usage.flat.reduce((n, a) => n + a.allocatedBytes, 0)
  const held = usage.held.map((h): UsageNode => ({
    id: `held:${h.manifestDigest}`,
    name: `Held by ${[...h.sandboxes.map((x) => x.name), ...h.snapshots].join(', ')}`,
    kind: 'held',
    bytes: h.bytes,
    freedBy: h.sandboxes.length ? `msb rm ${h.sandboxes.map((x) => x.name).join(' ')}` : 'msb snapshot rm'
  }))
  const heldBytes = held.reduce((n, h) => n + h.bytes, 0)
  const other = Math.max(0, usage.totalBytes - imageBytes - usage.sharedLayerBytes - memory - flatTotal - heldBytes)
  const flatChildren = usage.flat.map((a): UsageNode => ({
    id: `flat:${a.refPath ?? a.blobPath}`,
    name:
      a.references[0] ?? (a.unused === 'orphaned-blob' ? 'Orphaned blob' : `@${(a.manifestDigest ?? '').slice(7, 19)}`),
    kind: 'flat-artifact',
    bytes: a.allocatedBytes,
    references: a.references,
    why: a.why
  }))
  const cache: UsageNode[] = [
    ...registries.values(),
    { id: 'shared', name: 'Shared layers', kind: 'shared', bytes: usage.sharedLayerBytes },
    { id: 'flat', name: 'Flat rootfs artifacts', kind: 'flat', bytes: flatOnDisk, children: flatChildren },
    ...held,
    { id: 'memory', name: 'Snapshot memory', kind: 'memory', bytes: memory },
    { id: 'other', name: 'Other cache files', kind: 'other', bytes: other }
  ]
  const home = homeNodes(usage)
  const bytes = cache.reduce((n, c) => n + c.bytes, 0) + home.reduce((n, h) => n + h.bytes, 0)
  return { id: 'root', name: 'Home', kind: 'root', bytes, children: [...cache, ...home] }
}

const AREA_GROUPS: Partial<Record<HomeAreaKind, string>> = {
  sandbox: 'Sandboxes',
  volume: 'Volumes',
  snapshot: 'Snapshots'
}

/** The home's areas outside the image cache: sandboxes, volumes and snapshots grouped, the rest as they are. */
function homeNodes(usage: CacheUsage): UsageNode[] {
  const out: UsageNode[] = []
  const groups = new Map<string, UsageNode>()
  for (const a of usage.home.areas) {
    if (a.kind === 'image-cache' || a.kind === 'flat' || a.kind === 'being-deleted' || a.kind === 'memory') continue
    if (a.kind === 'other' && a.name.startsWith('cache/')) continue
    const leaf: UsageNode = {
      id: `area:${a.path}`,
      name: a.name.replace(/^(sandbox|volume|snapshot) /, ''),
      kind: a.kind === 'other' ? 'home-other' : a.kind,
      // On disk: a sandbox's root disk is a sparse file too.
      bytes: a.allocatedBytes,
      freedBy: a.freedBy
    }
    const groupName = AREA_GROUPS[a.kind]
    if (!groupName) {
      out.push(leaf)
      continue
    }
    let g = groups.get(groupName)
    if (!g) {
      g = { id: `group:${a.kind}`, name: groupName, kind: 'area-group', bytes: 0, children: [], areaKind: a.kind }
      groups.set(groupName, g)
      out.push(g)
    }
    g.children!.push(leaf)
    g.bytes += leaf.bytes
  }
  return out
}

/** An image's tile name names its other tags too. */
export function tileName(node: UsageNode): string {
  if (node.kind !== 'image' || !node.references || node.references.length < 2) return node.name
  return `${node.name} +${node.references.length - 1}`
}

const levelMemo = new WeakMap<UsageNode, UsageNode[]>()

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/**
 * The tiles of one level: the node's children with bytes, largest first. Over MAX_TILES children, the
 * big ones (BIG_SHARE of the level or more) keep their tiles and the rest are folded, in natural name
 * order, into equal runs ("range" groups named by their first and last names), at most MAX_TILES tiles
 * in all. Memoised per node, so the groups keep their identity and a zoom path through them resolves again.
 */
export function levelOf(node: UsageNode): UsageNode[] {
  const known = levelMemo.get(node)
  if (known) return known
  const bySize = (a: UsageNode, b: UsageNode) => b.bytes - a.bytes || natural.compare(a.name, b.name)
  const sorted = (node.children ?? []).filter((c) => c.bytes > 0).sort(bySize)
  let level = sorted
  if (sorted.length > MAX_TILES) {
    const total = sorted.reduce((n, c) => n + c.bytes, 0)
    const big = sorted.filter((c, i) => i < MAX_TILES / 2 && c.bytes >= total * BIG_SHARE)
    const rest = sorted.slice(big.length).sort((a, b) => natural.compare(a.name, b.name))
    const runs = Math.min(MAX_TILES - big.length, Math.ceil(rest.length / 2))
    const size = Math.ceil(rest.length / runs)
    const groups: UsageNode[] = []
    for (let i = 0; i < rest.length; i += size) {
      const run = rest.slice(i, i + size)
      const first = run[0]
      const last = run[run.length - 1]
      groups.push({
        id: `${node.id}/range:${first.id}`,
        name: run.length === 1 ? first.name : `${first.name} – ${last.name}`,
        kind: 'range',
        bytes: run.reduce((n, c) => n + c.bytes, 0),
        children: run,
        images: run.reduce((n, c) => n + (c.kind === 'image' ? 1 : (c.images ?? 0)), 0)
      })
    }
    level = [...big, ...groups].sort(bySize)
  }
  levelMemo.set(node, level)
  return level
}

/** The nodes along `path` (ids below the root), as far as they still exist in `root`'s tree. */
export function resolvePath(root: UsageNode, path: readonly string[]): UsageNode[] {
  const nodes = [root]
  for (const id of path) {
    const next = levelOf(nodes[nodes.length - 1]).find((c) => c.id === id && c.children)
    if (!next) break
    nodes.push(next)
  }
  return nodes
}

export interface Tile {
  node: UsageNode
  x: number
  y: number
  width: number
  height: number
}

/** Squarified layout of one level in a width × height box. */
export function layoutLevel(node: UsageNode, width: number, height: number): Tile[] {
  if (width <= 0 || height <= 0) return []
  const level = levelOf(node)
  if (level.length === 0) return []
  const root = hierarchy<{ tiles: UsageNode[] } | UsageNode>({ tiles: level }, (d) =>
    'tiles' in d ? d.tiles : undefined
  )
    .sum((d) => ('tiles' in d ? 0 : d.bytes))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
  const laid = treemap<{ tiles: UsageNode[] } | UsageNode>()
    .tile(treemapSquarify)
    .size([width, height])
    .paddingInner(2)
    .round(true)(root)
  return laid
    .leaves()
    .map((c) => ({ node: c.data as UsageNode, x: c.x0, y: c.y0, width: c.x1 - c.x0, height: c.y1 - c.y0 }))
}
