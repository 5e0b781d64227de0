// Which paths under the cache the explorer may touch, and how it reaches them.
//
// The symlink rule, deliberately the one msb follows: msb opens `<cache>/layers/<file>` with ordinary
// path resolution, so a cache root or a content folder (layers/, fsmeta/, vmdk/, manifests/, tmp/) that
// is a symlink to a directory elsewhere — people move big folders to another disk that way — is the
// cache. The explorer resolves those folders to their real directory once and works there. A symlink
// *inside* a content folder is never followed: it is measured (0 bytes), moved and unlinked itself,
// so no entry of the cache can point the explorer at a file outside it.
import { lstatSync, realpathSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Subdirectories msb creates, with the kind of file each holds. */
export const CONTENT_DIRS = { layers: 'layer', fsmeta: 'fsmeta', vmdk: 'vmdk', manifests: 'metadata' } as const
export type ContentDir = keyof typeof CONTENT_DIRS

/** The other folders msb keeps under the cache root, beside the content folders. */
export const CACHE_FOLDERS = {
  /** Flat rootfs artifacts (flat-artifacts.ts): `refs/`, `blobs/` and `locks/` below it. */
  flat: 'flat',
  /** msb 0.7's guest memory of branches and full snapshots: never image data, never deleted here. */
  memory: 'memory',
  /** Downloads in progress, and the explorer's own work folders during a removal. */
  tmp: 'tmp',
  /** msb 0.7.7+'s deletion journals (msb-deletion-journals.ts). */
  journals: '.image-deletions'
} as const

/** The folders of the flat rootfs artifacts, cache-relative. */
export const FLAT_FOLDERS = { refs: 'flat/refs', blobs: 'flat/blobs', locks: 'flat/locks' } as const

/** A content file's cache-relative path, `<dir>/<name>`: the form plans, journals and `isDeletablePath` use. */
export function contentPath(dir: ContentDir, name: string): string {
  return `${dir}/${name}`
}

const NAME_RULES: Record<ContentDir, RegExp> = {
  layers: /^sha256_[a-f0-9]{64}\.erofs(\.lock)?$/,
  fsmeta: /^sha256_[a-f0-9]{64}\.erofs(\.lock)?$/,
  vmdk: /^sha256_[a-f0-9]{64}\.vmdk(\.lock)?$/,
  manifests: /^[a-f0-9]{64}\.(json|lock)$/
}

/** Checks a relative path is one the explorer may ever delete: `<content dir>/<digest-named file>`. */
export function isDeletablePath(path: string): boolean {
  const parts = path.split('/')
  if (parts.length !== 2) return false
  const [dir, name] = parts
  return Object.prototype.hasOwnProperty.call(NAME_RULES, dir) && NAME_RULES[dir as ContentDir].test(name)
}

/**
 * The real directory behind `path`: itself when it is a directory, its target when it is a symlink to
 * a directory (as msb would follow it); null when missing or anything else.
 */
export function resolveDirectory(path: string): string | null {
  try {
    const st = lstatSync(path)
    if (st.isDirectory()) return path
    if (!st.isSymbolicLink() || !statSync(path).isDirectory()) return null
    return realpathSync(path)
  } catch {
    return null
  }
}

/** `<cache>/<dir>` resolved as msb resolves it (see the top of this file); null when it is not a directory. */
export function contentDirectory(cacheDir: string, dir: string): string | null {
  const root = resolveDirectory(cacheDir)
  return root ? resolveDirectory(join(root, dir)) : null
}

/** Why a cache folder cannot be used, in words, for a refusal or a report. */
export function describeMissingDirectory(cacheDir: string, dir: string): string {
  const root = resolveDirectory(cacheDir)
  if (!root) return `the cache directory ${cacheDir} is missing or is not a directory`
  const path = join(root, dir)
  try {
    const st = lstatSync(path)
    return st.isSymbolicLink() ? `${dir}/ is a symlink that does not lead to a directory` : `${dir}/ is not a directory`
  } catch {
    return `${dir}/ is missing`
  }
}
