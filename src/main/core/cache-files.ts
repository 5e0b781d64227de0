// The files under the cache directory, by kind, measured with lstat (a symlink is never followed: it
// costs nothing and is never a way out of the cache). Content files are written once and renamed into
// place, so a directory whose mtime has not changed still holds the same files: its scan is reused,
// which keeps `usage` cheap on a large cache that has not changed.
import { lstatSync, readdirSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import type { FileKind, KindTotal } from '../../shared/contract'

export interface FileEntry {
  bytes: number
  mtimeMs: number
  isSymlink: boolean
  isFile: boolean
}

export type DirectoryScan = ReadonlyMap<string, FileEntry>

/** Subdirectories msb creates, with the kind of file each holds. */
export const CONTENT_DIRS = { layers: 'layer', fsmeta: 'fsmeta', vmdk: 'vmdk', manifests: 'metadata' } as const
export type ContentDir = keyof typeof CONTENT_DIRS

interface Memo {
  key: string
  scan: Map<string, FileEntry>
}

export class CacheFiles {
  private readonly memo = new Map<string, Memo>()

  constructor(readonly cacheDir: string) {}

  /** The entries of one content directory (not recursive); empty when it does not exist or is a symlink. */
  scan(dir: ContentDir): DirectoryScan {
    const path = join(this.cacheDir, dir)
    const st = safeLstat(path)
    if (!st || !st.isDirectory()) return new Map()
    const key = `${st.ino}:${st.mtimeMs}:${st.ctimeMs}`
    const cached = this.memo.get(path)
    if (cached && cached.key === key) return cached.scan
    const scan = new Map<string, FileEntry>()
    for (const name of safeReaddir(path)) {
      const entry = entryOf(join(path, name))
      if (entry) scan.set(name, entry)
    }
    this.memo.set(path, { key, scan })
    return scan
  }

  /** Size of `<dir>/<name>` from the scan; null when absent or not a regular file. */
  sizeOf(dir: ContentDir, name: string): number | null {
    const entry = this.scan(dir).get(name)
    return entry && entry.isFile ? entry.bytes : null
  }

  /** Bytes and file counts of the whole cache directory by kind. */
  totals(): KindTotal[] {
    const totals = new Map<FileKind, KindTotal>()
    const add = (kind: FileKind, bytes: number) => {
      const t = totals.get(kind) ?? { kind, files: 0, bytes: 0 }
      t.files += 1
      t.bytes += bytes
      totals.set(kind, t)
    }
    for (const [dir, kind] of Object.entries(CONTENT_DIRS) as [ContentDir, FileKind][]) {
      for (const [name, entry] of this.scan(dir)) {
        if (!entry.isFile) continue
        add(kindOfName(kind, name), entry.bytes)
      }
    }
    for (const name of safeReaddir(this.cacheDir)) {
      if (name in CONTENT_DIRS) continue
      const kind: FileKind = name === 'flat' ? 'flat' : name === 'tmp' ? 'tmp' : 'other'
      walk(join(this.cacheDir, name), (bytes) => add(kind, bytes))
    }
    const order: FileKind[] = ['layer', 'fsmeta', 'vmdk', 'metadata', 'flat', 'tmp', 'other']
    return order.map((kind) => totals.get(kind) ?? { kind, files: 0, bytes: 0 })
  }
}

/** Lock files and download leftovers live beside content files but are not content. */
function kindOfName(dirKind: FileKind, name: string): FileKind {
  if (name.endsWith('.lock')) return 'other'
  if (dirKind === 'layer' && !name.endsWith('.erofs')) return 'tmp'
  if (dirKind === 'metadata' && !name.endsWith('.json')) return 'tmp'
  return dirKind
}

function walk(path: string, onFile: (bytes: number) => void, depth = 0): void {
  const st = safeLstat(path)
  if (!st) return
  if (st.isFile()) return onFile(st.size)
  if (!st.isDirectory() || depth > 8) return
  for (const name of safeReaddir(path)) walk(join(path, name), onFile, depth + 1)
}

function entryOf(path: string): FileEntry | null {
  const st = safeLstat(path)
  if (!st) return null
  return { bytes: st.isFile() ? st.size : 0, mtimeMs: st.mtimeMs, isSymlink: st.isSymbolicLink(), isFile: st.isFile() }
}

export function safeLstat(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path)
  } catch {
    return []
  }
}
