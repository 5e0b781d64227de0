// What a cache holds, as plain comparable data: the image rows (a logical dump of msb's image tables)
// and the files under cache/. The conformance tests run the explorer and msb on two identical copies
// of a home and compare these; the crash and concurrency tests use them to find what a row needs.
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/** The tables remove and prune touch, plus the pins they read. */
export const IMAGE_TABLES = ['image_ref', 'manifest', 'config', 'layer', 'manifest_layer', 'sandbox_rootfs'] as const

export type RowDump = Record<(typeof IMAGE_TABLES)[number], Record<string, unknown>[]>

/** Every row of the image tables, by id. Copies of one home have identical ids and times, so nothing is masked. */
export function dumpRows(home: string): RowDump {
  const db = new Database(join(home, 'db', 'msb.db'), { readonly: true, fileMustExist: true })
  try {
    const dump = {} as RowDump
    for (const table of IMAGE_TABLES)
      dump[table] = db.prepare(`SELECT * FROM ${table} ORDER BY id`).all() as Record<string, unknown>[]
    return dump
  } finally {
    db.close()
  }
}

export interface CacheFile {
  /** Relative to cache/, e.g. `layers/sha256_….erofs`. */
  path: string
  bytes: number
  symlink: boolean
}

/**
 * Every file (and symlink) under `<home>/cache`, recursively, sorted by path; directories are not listed. The
 * `.msb-leases` folders are left out unless asked for: the explorer takes msb 0.7.7+'s leases on every home, and
 * their lock files are bookkeeping that msb 0.6.18 and 0.7.2 never write (conformance compares content).
 */
export function cacheFiles(home: string, options: { leases?: boolean } = {}): CacheFile[] {
  const root = join(home, 'cache')
  const out: CacheFile[] = []
  const walk = (dir: string, prefix: string) => {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return
    }
    for (const name of names) {
      if (name === '.msb-leases' && !options.leases) continue
      const st = lstatSync(join(dir, name))
      const path = prefix ? `${prefix}/${name}` : name
      if (st.isDirectory()) walk(join(dir, name), path)
      else out.push({ path, bytes: st.isFile() ? st.size : 0, symlink: st.isSymbolicLink() })
    }
  }
  walk(root, '')
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export function cachePaths(home: string): string[] {
  return cacheFiles(home).map((f) => f.path)
}

/** Every lock file under `<home>/cache` (`*.lock`, the `.msb-leases` files and `flat/locks`), sorted. */
export function lockFiles(home: string): string[] {
  return cacheFiles(home, { leases: true })
    .map((f) => f.path)
    .filter((p) => p.endsWith('.lock') || p.startsWith('flat/locks/'))
}

/** A new temporary directory. */
export function tempDir(prefix = 'ice-write-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** An identical copy of a whole msb home (database with its WAL, cache files, mtimes): `cp -a`. */
export function copyHome(home: string, prefix = 'ice-copy-'): string {
  const dir = tempDir(prefix)
  const target = join(dir, 'home')
  execFileSync('cp', ['-a', home, target])
  return target
}
