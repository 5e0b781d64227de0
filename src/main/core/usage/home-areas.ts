// The explorer's view of the whole msb home: one area per thing a person can act on (an image-cache kind,
// a sandbox, a volume, a snapshot, logs, the database, an unknown folder), each with the msb command that
// frees it. Hard links count once over the whole home, so the areas add up to the home's total.
// msb's own `df` view of the same files is home-usage.ts.
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { HomeArea, HomeAreaKind } from '../../../shared/contract'
import { CACHE_FOLDERS } from '../homes/cache-paths'
import { addFile, FileTree, newScan, walk } from './home-scan'

const CACHE_AREAS: Record<string, { kind: HomeAreaKind; label: string }> = {
  layers: { kind: 'image-cache', label: 'Image layers' },
  fsmeta: { kind: 'image-cache', label: 'Image fsmeta' },
  vmdk: { kind: 'image-cache', label: 'Image vmdk descriptors' },
  manifests: { kind: 'image-cache', label: 'Image metadata' },
  [CACHE_FOLDERS.tmp]: { kind: 'image-cache', label: 'Downloads and work folders' },
  [CACHE_FOLDERS.flat]: { kind: 'flat', label: 'Flat rootfs artifacts' },
  [CACHE_FOLDERS.journals]: { kind: 'being-deleted', label: 'Being deleted (msb deletion journals)' }
}

/**
 * Every top-level thing in the home (and the cache, wherever it lives), each once: hard links count in
 * the first area that reaches them, the image cache first, so a deletion journal's links count under
 * the files they link.
 */
export function homeAreas(home: string, cacheDir: string, dbPath: string, tree = new FileTree()): HomeArea[] {
  const seen = new Map<number, Set<number>>()
  const areas: HomeArea[] = []
  const add = (
    kind: HomeAreaKind,
    name: string,
    path: string,
    freedBy: string | null,
    how: 'tree' | 'file' = 'tree'
  ) => {
    const scan = newScan(seen)
    try {
      if (how === 'file') {
        const st = tree.lstat(path)
        if (st?.isFile()) addFile(scan, st)
      } else if (tree.lstat(path)?.isDirectory()) walk(path, scan, tree)
    } catch {
      // Unreadable: counted as far as it could be read.
    }
    areas.push({
      kind,
      name,
      path: relative(home, path) || '.',
      logicalBytes: scan.logical,
      allocatedBytes: scan.allocated,
      files: scan.files,
      freedBy
    })
  }
  const cacheInHome = cacheDir === join(home, 'cache')
  // The cache first: its own content kinds, flat, journals, memory, and the rest of it.
  const cacheEntries = safeNames(cacheDir)
  for (const name of cacheEntries) {
    const path = join(cacheDir, name)
    const known = CACHE_AREAS[name]
    if (known) {
      add(
        known.kind,
        known.label,
        path,
        known.kind === 'being-deleted' ? 'msb image rm or msb image prune (finishes the deletion)' : null
      )
    } else if (name === CACHE_FOLDERS.memory) {
      add('memory', 'Branch and snapshot memory', path, 'msb prune (unused memory files)')
    } else {
      add('other', `cache/${name}`, path, null, tree.lstat(path)?.isDirectory() ? 'tree' : 'file')
    }
  }
  for (const name of safeNames(home)) {
    const path = join(home, name)
    if (cacheInHome && name === 'cache') continue
    if (name === 'sandboxes') {
      for (const s of safeNames(path))
        add('sandbox', `sandbox ${s}`, join(path, s), `msb rm ${s}`, dirOrFile(tree, join(path, s)))
    } else if (name === 'volumes') {
      for (const v of safeNames(path))
        add('volume', `volume ${v}`, join(path, v), `msb volume rm ${v}`, dirOrFile(tree, join(path, v)))
    } else if (name === 'snapshots') {
      for (const s of safeNames(path)) {
        const what = s.startsWith('.') ? 'Snapshot deletion journals' : `snapshot ${s}`
        add(
          'snapshot',
          what,
          join(path, s),
          s.startsWith('.') ? 'msb snapshot rm (finishes the deletion)' : `msb snapshot rm ${s}`,
          dirOrFile(tree, join(path, s))
        )
      }
    } else if (name === 'logs') {
      add('logs', 'Logs', path, 'msb rm <sandbox> removes a sandbox and its logs', dirOrFile(tree, path))
    } else if (path === join(dbPath, '..') || name === 'db') {
      add('database', 'Database (msb.db and its journal files)', path, null, dirOrFile(tree, path))
    } else {
      add('other', name, path, null, dirOrFile(tree, path))
    }
  }
  return areas
}

function dirOrFile(tree: FileTree, path: string): 'tree' | 'file' {
  return tree.lstat(path)?.isDirectory() ? 'tree' : 'file'
}

function safeNames(path: string): string[] {
  try {
    return readdirSync(path).sort()
  } catch {
    return []
  }
}
