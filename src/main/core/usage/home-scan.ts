// Walking a home's files as msb's storage usage does (sdk/rust/lib/storage/usage.rs @dbc01e8f): regular
// files only, hard links once per scan (by device and inode), symlinks and special files never followed
// (skipped and counted), allocated = st_blocks × 512. Shared by msb's `df` view and the explorer's areas.
import { type Dirent, lstatSync, readdirSync, type Stats } from 'node:fs'
import { join } from 'node:path'

export interface Scan {
  logical: number
  allocated: number
  files: number
  skipped: number
  seen: Set<string>
}

export const newScan = (seen = new Set<string>()): Scan => ({ logical: 0, allocated: 0, files: 0, skipped: 0, seen })

export function lstat(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null
  } catch {
    return null
  }
}

export function readDir(path: string): Dirent[] {
  return readdirSync(path, { withFileTypes: true })
}

/** msb's `walk`: regular files (hard links once per scan), directories without following symlinks. */
export function walk(path: string, scan: Scan, depth = 0): void {
  if (depth > 128) throw new Error('storage directory nesting exceeds 128 levels')
  for (const d of readDir(path)) {
    const full = join(path, d.name)
    const st = lstat(full)
    if (!st) continue
    if (st.isSymbolicLink()) scan.skipped++
    else if (st.isDirectory()) walk(full, scan, depth + 1)
    else if (st.isFile()) addFile(scan, st)
    else scan.skipped++
  }
}

export function addFile(scan: Scan, st: Stats): void {
  const key = `${st.dev}:${st.ino}`
  if (scan.seen.has(key)) return
  scan.seen.add(key)
  scan.logical += st.size
  scan.allocated += st.blocks * 512
  scan.files++
}
