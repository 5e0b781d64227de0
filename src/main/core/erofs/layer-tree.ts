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
}

export interface WalkLimits {
  maxEntries: number
  maxDepth: number
  /** Milliseconds from the start of the walk. */
  timeoutMs: number
}

export const DEFAULT_LIMITS: WalkLimits = { maxEntries: 5_000_000, maxDepth: 2048, timeoutMs: 60_000 }

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

/** Every entry of the image, parents first. The root's own opacity is returned apart. */
export function walkImage(
  image: ErofsImage,
  limits: WalkLimits = DEFAULT_LIMITS
): { entries: TreeEntry[]; rootOpaque: boolean } {
  const deadline = performance.now() + limits.timeoutMs
  const root = image.inode(image.superblock.rootNid)
  if (entryType(root.mode) !== 'dir') throw corrupt('the root inode is not a directory')
  const entries: TreeEntry[] = []
  const seenDirs = new Set<number>([root.nid])
  // Explicit stack (no recursion): a deep hostile tree cannot overflow the call stack.
  const stack: { inode: Inode; path: string; depth: number }[] = [{ inode: root, path: '', depth: 0 }]
  while (stack.length > 0) {
    const { inode: dir, path, depth } = stack.pop()!
    if (depth > limits.maxDepth) throw new ErofsError('limit', `directories nest deeper than ${limits.maxDepth}`)
    const children = image.readDir(dir, limits.maxEntries)
    const subdirs: { inode: Inode; path: string; depth: number }[] = []
    for (const child of children) {
      if (entries.length >= limits.maxEntries) throw new ErofsError('limit', `more than ${limits.maxEntries} entries`)
      if ((entries.length & 1023) === 0 && performance.now() > deadline) {
        throw new ErofsError('limit', `reading the image took longer than ${limits.timeoutMs} ms`)
      }
      const inode = image.inode(child.nid)
      const type = entryType(inode.mode)
      const entry: TreeEntry = {
        path: `${path}/${child.name}`,
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
        subdirs.push({ inode, path: entry.path, depth: depth + 1 })
      }
      entries.push(entry)
    }
    // Pushed in reverse so the walk visits subdirectories in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i])
  }
  return { entries, rootOpaque: isOpaque(image, root) }
}
