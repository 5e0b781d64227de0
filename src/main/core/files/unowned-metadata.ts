// Image records in the cache that no reference of this home owns: `manifests/<key>.json` files whose key
// is not the key of any reference in this home's database. msb writes one for every image it pulls or
// loads, in whichever home did it, so in a cache another home also uses (its `paths.cache` pointing
// here, which this home cannot see) they are that home's images; otherwise they are what an unfinished
// pull left. Either way the files they name are not provably unused: they stay, and so does the record.
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDatabaseFile } from '../database/database-inodes'
import { contentDirectory, contentPath } from '../homes/cache-paths'
import type { CacheState } from '../database/cache-state'
import { isOwnedRecord, layerFileName, manifestFileNames } from '../homes/file-names'

const RECORD = /^[a-f0-9]{64}\.json$/
/** msb's records are a few kilobytes; anything far larger is not one. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024

/** Cache file path → the record (`manifests/<key>.json`) that names it. */
export type ClaimedFiles = ReadonlyMap<string, string>

/**
 * `names`: the entries of the `manifests` directory when the caller already has them (a scan of it in
 * the same view of the files); else the directory is read here.
 */
export function unownedClaims(state: CacheState, cacheDir: string, names?: Iterable<string>): ClaimedFiles {
  const dir = contentDirectory(cacheDir, 'manifests')
  if (!dir) return new Map()
  if (!names) {
    try {
      names = readdirSync(dir)
    } catch {
      return new Map()
    }
  }
  // Built on first use: almost every record is owned, and a lookup is cheaper than the pattern.
  let owned: ((name: string) => boolean) | null = null
  return claimsOfRecords((name) => (owned ??= isOwnedRecord(state))(name), dir, names)
}

/** The claims of the records in `dir` (the resolved `manifests` folder) that `owned` says this home does not own. */
export function claimsOfRecords(
  owned: (name: string) => boolean,
  dir: string,
  names: Iterable<string>
): Map<string, string> {
  const claims = new Map<string, string>()
  for (const name of names) {
    if (owned(name) || !RECORD.test(name)) continue
    const record = contentPath('manifests', name)
    claims.set(record, record)
    for (const path of namedFiles(join(dir, name))) if (!claims.has(path)) claims.set(path, record)
  }
  return claims
}

/** The layer, fsmeta and vmdk files an msb image record names (msb's CachedImageMetadata). */
function namedFiles(file: string): string[] {
  try {
    const st = lstatSync(file)
    // A record hard-linked to a file SQLite holds is no record, and opening it would drop SQLite's locks.
    if (!st.isFile() || st.size > MAX_RECORD_BYTES || isDatabaseFile(file)) return []
    const record = JSON.parse(readFileSync(file, 'utf8')) as {
      manifest_digest?: unknown
      layers?: { diff_id?: unknown }[]
    }
    const out: string[] = []
    const manifest = typeof record.manifest_digest === 'string' ? manifestFileNames(record.manifest_digest) : null
    if (manifest) out.push(contentPath('fsmeta', manifest.fsmeta), contentPath('vmdk', manifest.vmdk))
    for (const layer of Array.isArray(record.layers) ? record.layers : []) {
      const name = typeof layer?.diff_id === 'string' ? layerFileName(layer.diff_id) : null
      if (name) out.push(contentPath('layers', name))
    }
    return out
  } catch {
    // Unreadable or not msb's JSON (msb treats it as absent): it names nothing.
    return []
  }
}
