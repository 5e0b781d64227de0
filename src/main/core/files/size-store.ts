// File sizes kept across sessions, so a new window (or a CLI run) on an unchanged cache does not lstat
// every file again: at 10,000 images that is ~28,000 lstat calls, most of a cold `usage`.
//
// Why a stored scan may be reused: the cache's content files are named by digest, written once and
// renamed into place, so a content directory whose identity and times (ino, mtime, ctime) are what
// they were holds exactly the same files of the same sizes. That is the rule CacheFiles already uses
// for its in-memory memo within one session; this keeps the memo on disk between sessions, keyed the
// same way. Anything else (a missing, unreadable, foreign or malformed store file) is a miss.
//
// The store lives in the user's cache directory ($XDG_CACHE_HOME, else ~/.cache), never in msb's home,
// one small JSON file per content directory. Programs opt in (CacheOptions.sizeStore); tests and
// benchmarks that measure cold work do not.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { type FileEntry, lockEntry } from './cache-files'
import { writeKeptFile } from './kept-file'

const FORMAT = 2

/**
 * Columns, not an array per entry: parsing ~38,000 small arrays (and collecting them) cost more than
 * the sizes were worth. Names are joined by `/`, the one character a file name cannot hold.
 */
interface StoredScan {
  format: number
  path: string
  key: string
  names: string
  bytes: number[]
  mtimes: number[]
  /** Bit 0 = regular file, bit 1 = symlink. */
  flags: number[]
}

export function defaultSizeStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return join(base, 'image-cache-explorer', 'sizes')
}

export class SizeStore {
  constructor(readonly dir: string) {}

  /** The stored scan of `path` if it was made under the same directory key; else null. */
  load(path: string, key: string): Map<string, FileEntry> | null {
    let stored: StoredScan
    try {
      stored = JSON.parse(readFileSync(this.fileOf(path), 'utf8')) as StoredScan
    } catch {
      return null
    }
    if (stored?.format !== FORMAT || stored.path !== path || stored.key !== key) return null
    const { bytes, mtimes, flags } = stored
    if (typeof stored.names !== 'string' || !Array.isArray(bytes) || !Array.isArray(mtimes) || !Array.isArray(flags))
      return null
    const names = stored.names === '' ? [] : stored.names.split('/')
    const n = names.length
    if (bytes.length !== n || mtimes.length !== n || flags.length !== n) return null
    const scan = new Map<string, FileEntry>()
    for (let i = 0; i < n; i++) {
      const name = names[i]
      const size = bytes[i]
      const mtimeMs = mtimes[i]
      const flag = flags[i]
      if (typeof size !== 'number' || typeof mtimeMs !== 'number' || typeof flag !== 'number' || name === '')
        return null
      const isFile = (flag & 1) !== 0
      const isSymlink = (flag & 2) !== 0
      // Stored lock files (empty, no time kept) share their entry objects as in a fresh scan.
      if (size === 0 && mtimeMs === 0 && name.endsWith('.lock')) scan.set(name, lockEntry(isSymlink, isFile))
      else scan.set(name, { bytes: size, mtimeMs, isFile, isSymlink })
    }
    return scan
  }

  /** Best effort: a store that cannot be written only means the next session measures again. */
  save(path: string, key: string, scan: ReadonlyMap<string, FileEntry>): void {
    const names: string[] = []
    const stored: StoredScan = { format: FORMAT, path, key, names: '', bytes: [], mtimes: [], flags: [] }
    for (const [name, e] of scan) {
      names.push(name)
      stored.bytes.push(e.bytes)
      stored.mtimes.push(e.mtimeMs)
      stored.flags.push((e.isFile ? 1 : 0) | (e.isSymlink ? 2 : 0))
    }
    stored.names = names.join('/')
    writeKeptFile(this.fileOf(path), JSON.stringify(stored))
  }

  private fileOf(path: string): string {
    return join(this.dir, `${createHash('sha256').update(path).digest('hex').slice(0, 24)}.json`)
  }
}
