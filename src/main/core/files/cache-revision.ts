// A cheap fingerprint of the cache's state for the window's live refresh: it changes whenever msb or
// the explorer commits to the database (the WAL grows, or a checkpoint rewrites the file) or adds or
// removes content files (the directories' mtimes). A handful of stats, so the UI can poll it often.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { CACHE_FOLDERS, CONTENT_DIRS, FLAT_FOLDERS } from '../homes/cache-paths'
import type { CacheLocation } from '../homes/home'

export function cacheRevision(location: CacheLocation): string {
  const parts: string[] = []
  const stamp = (path: string) => {
    try {
      const st = statSync(path)
      parts.push(`${st.mtimeMs}:${st.size}`)
    } catch {
      parts.push('-')
    }
  }
  stamp(location.dbPath)
  stamp(`${location.dbPath}-wal`)
  for (const dir of Object.keys(CONTENT_DIRS)) stamp(join(location.cacheDir, dir))
  // msb 0.7's snapshot memory: counted in disk usage, so a new entry there must refresh it too.
  stamp(join(location.cacheDir, CACHE_FOLDERS.memory))
  // Flat rootfs artifacts and the rest of the home are in disk usage too (flat-artifacts.ts, home-areas.ts).
  stamp(join(location.cacheDir, FLAT_FOLDERS.refs))
  stamp(join(location.cacheDir, FLAT_FOLDERS.blobs))
  stamp(location.home)
  for (const dir of ['sandboxes', 'volumes', 'snapshots', 'logs']) stamp(join(location.home, dir))
  // msb's deletion journals (msb-deletion-journals.ts): their bytes are counted apart while they exist.
  stamp(join(location.cacheDir, CACHE_FOLDERS.journals))
  return parts.join('|')
}
