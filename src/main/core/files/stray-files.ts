// Files that no database row refers to: left by an interrupted pull, an interrupted removal, or a
// remove that msb itself did not clean up. Only a dangling prune takes them, and only when older than
// a margin, because a pull writes its files before it records them in the database.
import type { PlannedFile } from '../../../shared/contract'
import type { CacheFiles } from './cache-files'
import { type ContentDir, contentPath } from '../homes/cache-paths'
import type { CacheState } from '../database/cache-state'
import { layerFileName, manifestFileNames, recordsOf } from '../homes/file-names'
import { journalClaims } from './msb-deletion-journals'

/** Long enough for any pull to record what it wrote. */
export const STRAY_MARGIN_MS = 15 * 60 * 1000

/**
 * Content files no row of `state` names (a decision's files are rows of its state, so they are never
 * strays: the decision lists them), old enough, with names msb could have written.
 */
export function strayFiles(
  state: CacheState,
  files: CacheFiles,
  now = Date.now(),
  marginMs = STRAY_MARGIN_MS
): PlannedFile[] {
  // Known file names, not stems: a scan's names are Map keys whose hashes are already computed, so a
  // lookup by name costs nothing like slicing each of ~40,000 names into a new stem string.
  const known = { layers: new Set<string | null>(), fsmeta: new Set<string | null>(), vmdk: new Set<string | null>() }
  for (const l of state.layers) known.layers.add(layerFileName(l.diffId))
  for (const m of state.manifests) {
    const names = manifestFileNames(m.digest)
    known.fsmeta.add(names?.fsmeta ?? null)
    known.vmdk.add(names?.vmdk ?? null)
  }
  const records = recordsOf(state).referencesOf
  // What an msb deletion journal names is msb's to finish (msb-deletion-journals.ts), never a stray.
  const journaled = journalClaims(files.cacheDir)
  const out: PlannedFile[] = []
  const consider = (
    dir: ContentDir,
    suffix: string,
    isKnown: { has(name: string): boolean },
    kind: PlannedFile['kind']
  ) => {
    for (const [name, entry] of files.scan(dir)) {
      // Known first: almost every file is, and a Set lookup is cheaper than the pattern.
      if (!entry.isFile || !name.endsWith(suffix) || isKnown.has(name)) continue
      if (!/^(sha256_)?[a-f0-9]{64}$/.test(name.slice(0, -suffix.length))) continue
      if (now - entry.mtimeMs < marginMs) continue
      const path = contentPath(dir, name)
      if (journaled.size > 0 && journaled.has(path)) continue
      out.push({ kind, path, bytes: entry.bytes })
    }
  }
  consider('layers', '.erofs', known.layers, 'layer')
  consider('fsmeta', '.erofs', known.fsmeta, 'fsmeta')
  consider('vmdk', '.vmdk', known.vmdk, 'vmdk')
  consider('manifests', '.json', records, 'metadata')
  return out
}
