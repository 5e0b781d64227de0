// Files that no database row refers to: left by an interrupted pull, an interrupted removal, or a
// remove that msb itself did not clean up. Only a dangling prune takes them, and only when older than
// a margin, because a pull writes its files before it records them in the database.
import type { PlannedFile } from '../../shared/contract'
import type { CacheFiles, ContentDir } from './cache-files'
import type { CacheState } from './cache-state'
import { digestFileStem } from './digest'
import type { RowDecision } from './deletion-plan'
import { metadataKey } from './reference-key'

/** Long enough for any pull to record what it wrote. */
export const STRAY_MARGIN_MS = 15 * 60 * 1000

export function strayFiles(
  state: CacheState,
  decision: RowDecision,
  files: CacheFiles,
  now = Date.now(),
  marginMs = STRAY_MARGIN_MS
): PlannedFile[] {
  const layerStems = new Set(state.layers.map((l) => digestFileStem(l.diffId)))
  const manifestStems = new Set(state.manifests.map((m) => digestFileStem(m.digest)))
  const keys = new Set(state.refs.map((r) => metadataKey(r.reference)))
  // Files the decision already deletes are listed by it, not here.
  for (const l of decision.layers) layerStems.delete(digestFileStem(l.diffId))
  for (const m of decision.manifests) manifestStems.delete(digestFileStem(m.digest))
  const out: PlannedFile[] = []
  const consider = (dir: ContentDir, suffix: string, known: (stem: string) => boolean, kind: PlannedFile['kind']) => {
    for (const [name, entry] of files.scan(dir)) {
      if (!entry.isFile || !name.endsWith(suffix)) continue
      const stem = name.slice(0, -suffix.length)
      // Known first: almost every file is, and a Set lookup is cheaper than the pattern.
      if (known(stem) || !/^(sha256_)?[a-f0-9]{64}$/.test(stem)) continue
      if (now - entry.mtimeMs < marginMs) continue
      out.push({ kind, path: `${dir}/${name}`, bytes: entry.bytes })
    }
  }
  const decidedLayers = new Set(decision.layers.map((l) => digestFileStem(l.diffId)))
  const decidedManifests = new Set(decision.manifests.map((m) => digestFileStem(m.digest)))
  consider('layers', '.erofs', (s) => layerStems.has(s) || decidedLayers.has(s), 'layer')
  consider('fsmeta', '.erofs', (s) => manifestStems.has(s) || decidedManifests.has(s), 'fsmeta')
  consider('vmdk', '.vmdk', (s) => manifestStems.has(s) || decidedManifests.has(s), 'vmdk')
  const removedKeys = new Set(decision.refs.map((r) => metadataKey(r.reference)))
  consider('manifests', '.json', (s) => keys.has(s) || removedKeys.has(s), 'metadata')
  return out
}
