// Walks one EROFS layer image into a flat list of entries (parents before children, names sorted), with the
// overlayfs markers msb keeps from the OCI layer: a whiteout is a character device 0:0, an opaque directory has
// the xattr `trusted.overlay.opaque` = "y" (seen on layers msb 0.6.18 builds; `user.overlay.opaque` is accepted
// too, as overlayfs does in userxattr mode).
//
// Hostile images cannot make the walk run away: a directory reached twice is a loop, depth and entry counts are
// bounded, and a deadline stops the walk with a 'limit' error instead of hanging.
import { ErofsError, corrupt } from './erofs-error'
import { type ErofsImage } from './erofs-image'
import {
  decodeDevice,
  type Inode,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK
} from './on-disk'

export type EntryType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket'

export interface TreeEntry {
  /** Absolute, `/`-separated; the root itself is not listed. */
  path: string
  type: EntryType
  /** Bytes of file data (symlinks: target length; others 0 as overlayfs reports them). */
  size: number
  /** Permission bits including setuid, setgid and sticky (st_mode & 07777). */
  mode: number
  uid: number
  gid: number
  nid: number
  nlink: number
  target?: string
  /** Character and block devices. */
  device?: { major: number; minor: number }
  /** A whiteout: this layer deletes the path. */
  whiteout?: boolean
  /** An opaque directory: entries below it in lower layers are hidden. */
  opaque?: boolean
  /**
   * The last path component, and the index of the parent directory's entry in the same list (-1 for the
   * root's children). Set by the walk, so that whoever applies the entries finds a parent by index, never
   * by its path: V8 hashes at most 16,383 characters of a string, so a tampered layer's paths that share
   * a longer prefix would all collide in a Map keyed by path (a 167 s `imageFiles` on 8,000 files).
   */
  name?: string
  parent?: number
}

export interface WalkLimits {
  maxEntries: number
  maxDepth: number
  /** Milliseconds from the start of the walk. */
  timeoutMs: number
  /** Estimated bytes the entries cost once read, analysed and shown (ENTRY_BYTES each plus the path). */
  maxBytes: number
  /** Characters of all paths together (MAX_PATH_CHARS unless given). */
  maxPathChars?: number
}

/**
 * What one entry costs, measured: a real 300,000-file layer held 709 MB in serve (its entry, its nodes in
 * the merged and dive trees, its change and its row), about 2.4 kB each. Paths are counted apart.
 */
export const ENTRY_BYTES = 2048

/** Characters of all paths together: a JavaScript string holds at most about 512 million. */
export const MAX_PATH_CHARS = 128 * 1024 * 1024

export const DEFAULT_LIMITS: WalkLimits = {
  maxEntries: 5_000_000,
  maxDepth: 2048,
  timeoutMs: 60_000,
  maxBytes: 1024 * 1024 * 1024
}

const OPAQUE_XATTRS = new Set(['trusted.overlay.opaque', 'user.overlay.opaque'])

export function entryType(mode: number): EntryType {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return 'file'
    case S_IFDIR:
      return 'dir'
    case S_IFLNK:
      return 'symlink'
    case S_IFCHR:
      return 'char'
    case S_IFBLK:
      return 'block'
    case S_IFIFO:
      return 'fifo'
    case S_IFSOCK:
      return 'socket'
    default:
      throw corrupt(`unknown file type in mode 0o${mode.toString(8)}`)
  }
}

export function isOpaque(image: ErofsImage, dir: Inode): boolean {
  return image.xattrs(dir).some((x) => OPAQUE_XATTRS.has(x.name) && x.value.toString('latin1') === 'y')
}

/**
 * Every entry of the image, parents first. The root's own opacity is returned apart, and `bytes`, what
 * the entries are estimated to cost (ENTRY_BYTES each plus their paths).
 */
export function walkImage(
  image: ErofsImage,
  limits: WalkLimits = DEFAULT_LIMITS
): { entries: TreeEntry[]; rootOpaque: boolean; bytes: number } {
  const deadline = performance.now() + limits.timeoutMs
  const root = image.inode(image.superblock.rootNid)
  if (entryType(root.mode) !== 'dir') throw corrupt('the root inode is not a directory')
  const entries: TreeEntry[] = []
  const seenDirs = new Set<number>([root.nid])
  // Explicit stack (no recursion): a deep hostile tree cannot overflow the call stack.
  type Pending = { inode: Inode; path: string; depth: number; index: number; pathBytes: number }
  const stack: Pending[] = [{ inode: root, path: '', depth: 0, index: -1, pathBytes: 0 }]
  let bytes = 0
  let pathChars = 0
  const maxPathChars = limits.maxPathChars ?? MAX_PATH_CHARS
  while (stack.length > 0) {
    const { inode: dir, path, depth, index, pathBytes } = stack.pop()!
    if (depth > limits.maxDepth) throw new ErofsError('limit', `directories nest deeper than ${limits.maxDepth}`)
    const children = image.readDir(dir, limits.maxEntries)
    const subdirs: Pending[] = []
    for (const child of children) {
      if (entries.length >= limits.maxEntries) throw new ErofsError('limit', `more than ${limits.maxEntries} entries`)
      if ((entries.length & 1023) === 0 && performance.now() > deadline) {
        throw new ErofsError('limit', `reading the image took longer than ${limits.timeoutMs} ms`)
      }
      const inode = image.inode(child.nid)
      const type = entryType(inode.mode)
      // What the entry will cost held and shown (its row, its path in the view): bounded by memory, not
      // by count, so neither millions of tiny entries nor a few with very long paths exhaust the heap.
      const childPathBytes = pathBytes + 1 + child.name.length
      bytes += ENTRY_BYTES + childPathBytes
      pathChars += childPathBytes
      if (pathChars > maxPathChars) {
        // Every path is written out once by a view (`files --json`): past this no string could hold them.
        throw new ErofsError(
          'limit',
          `the layer is too large to show: the paths of its first ${entries.length + 1} entries total more than ${maxPathChars.toLocaleString('en-US')} characters`
        )
      }
      if (bytes > limits.maxBytes) {
        throw new ErofsError(
          'limit',
          `the layer is too large to show: its first ${entries.length + 1} entries and their paths (up to ${childPathBytes} characters) ` +
            `would need more than ${Math.round(limits.maxBytes / 1048576)} MB`
        )
      }
      const entry: TreeEntry = {
        path: `${path}/${child.name}`,
        name: child.name,
        parent: index,
        type,
        size: type === 'file' || type === 'symlink' ? inode.size : 0,
        mode: inode.mode & 0o7777,
        uid: inode.uid,
        gid: inode.gid,
        nid: inode.nid,
        nlink: inode.nlink
      }
      if (type === 'symlink') entry.target = image.readLink(inode)
      if (type === 'char' || type === 'block') {
        entry.device = decodeDevice(inode.iu)
        if (type === 'char' && inode.iu === 0) entry.whiteout = true
      }
      if (type === 'dir') {
        if (seenDirs.has(inode.nid)) throw corrupt(`directory loop at ${entry.path}`)
        seenDirs.add(inode.nid)
        if (isOpaque(image, inode)) entry.opaque = true
        subdirs.push({ inode, path: entry.path, depth: depth + 1, index: entries.length, pathBytes: childPathBytes })
      }
      entries.push(entry)
    }
    // Pushed in reverse so the walk visits subdirectories in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i])
  }
  return { entries, rootOpaque: isOpaque(image, root), bytes }
}
