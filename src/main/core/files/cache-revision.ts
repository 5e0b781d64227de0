// A cheap fingerprint of the cache's state for the window's live refresh: it changes whenever msb or
// the explorer commits to the database (the WAL grows, or a checkpoint rewrites the file) or adds or
// removes content files (the directories' mtimes). A handful of stats, so the UI can poll it often.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { CACHE_FOLDERS, CONTENT_DIRS, FLAT_FOLDERS } from '../homes/cache-paths'
import type { CacheLocation } from '../homes/home'

/**
 * The paths whose stat changes with every change of what the explorer reads: the database and its
 * log, the content directories, and the folders of everything else disk usage counts.
 */
export function revisionPaths(location: CacheLocation): string[] {
  return [
    location.dbPath,
    `${location.dbPath}-wal`,
    ...Object.keys(CONTENT_DIRS).map((dir) => join(location.cacheDir, dir)),
    // msb 0.7's snapshot memory: counted in disk usage, so a new entry there must refresh it too.
    join(location.cacheDir, CACHE_FOLDERS.memory),
    // Flat rootfs artifacts and the rest of the home are in disk usage too (flat-artifacts.ts, home-areas.ts).
    join(location.cacheDir, FLAT_FOLDERS.refs),
    join(location.cacheDir, FLAT_FOLDERS.blobs),
    location.home,
    ...['sandboxes', 'volumes', 'snapshots', 'logs'].map((dir) => join(location.home, dir)),
    // msb's deletion journals (msb-deletion-journals.ts): their bytes are counted apart while they exist.
    join(location.cacheDir, CACHE_FOLDERS.journals)
  ]
}

export function cacheRevision(location: CacheLocation): string {
  return revisionPaths(location)
    .map((path) => {
      try {
        const st = statSync(path)
        return `${st.mtimeMs}:${st.size}`
      } catch {
        return '-'
      }
    })
    .join('|')
}
