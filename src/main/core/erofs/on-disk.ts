// The EROFS on-disk structures this reader needs, decoded field by field from the kernel's definition
// (fs/erofs/erofs_fs.h): the superblock at byte 1024, 32-byte compact and 64-byte extended inodes, 12-byte
// directory entries and the inline xattr body. All little-endian. Every value that later becomes an offset or a
// length is range-checked by the caller before use.
import { corrupt, ErofsError } from './erofs-error'

export const SUPERBLOCK_OFFSET = 1024
export const MAGIC = 0xe0f5e1e2
const SUPERBLOCK_SIZE = 128

/** Incompatible features this reader understands without reading compressed or chunked data. */
const FEATURE_INCOMPAT_ZERO_PADDING = 0x1
const FEATURE_INCOMPAT_COMPR_CFGS = 0x2
const FEATURE_INCOMPAT_CHUNKED_FILE = 0x4
const FEATURE_INCOMPAT_DEVICE_TABLE = 0x8
const FEATURE_INCOMPAT_ZTAILPACKING = 0x10
const FEATURE_INCOMPAT_FRAGMENTS = 0x20
const FEATURE_INCOMPAT_XATTR_PREFIXES = 0x40
const KNOWN_INCOMPAT =
  FEATURE_INCOMPAT_ZERO_PADDING |
  FEATURE_INCOMPAT_COMPR_CFGS |
  FEATURE_INCOMPAT_CHUNKED_FILE |
  FEATURE_INCOMPAT_DEVICE_TABLE |
  FEATURE_INCOMPAT_ZTAILPACKING |
  FEATURE_INCOMPAT_FRAGMENTS |
  FEATURE_INCOMPAT_XATTR_PREFIXES

export interface Superblock {
  blockSizeBits: number
  blockSize: number
  rootNid: number
  inodeCount: number
  metaBlockAddr: number
  xattrBlockAddr: number
  featureCompat: number
  featureIncompat: number
  buildTime: number
  dirBlockBits: number
  extraDevices: number
}

export function parseSuperblock(b: Buffer, fileSize: number): Superblock {
  if (b.length < SUPERBLOCK_SIZE) throw corrupt('superblock is truncated')
  const magic = b.readUInt32LE(0)
  if (magic !== MAGIC) throw corrupt(`bad magic 0x${magic.toString(16)} (not an EROFS image)`)
  const blockSizeBits = b.readUInt8(12)
  if (blockSizeBits < 9 || blockSizeBits > 16) throw corrupt(`block size 2^${blockSizeBits} is out of range`)
  const featureIncompat = b.readUInt32LE(80)
  const unknown = featureIncompat & ~KNOWN_INCOMPAT
  if (unknown !== 0) throw new ErofsError('unsupported', `unsupported EROFS feature bits 0x${unknown.toString(16)}`)
  const sb: Superblock = {
    blockSizeBits,
    blockSize: 1 << blockSizeBits,
    rootNid: b.readUInt16LE(14),
    inodeCount: Number(b.readBigUInt64LE(16)),
    buildTime: Number(b.readBigUInt64LE(24)),
    metaBlockAddr: b.readUInt32LE(40),
    xattrBlockAddr: b.readUInt32LE(44),
    featureCompat: b.readUInt32LE(8),
    featureIncompat,
    extraDevices: b.readUInt16LE(86),
    dirBlockBits: b.readUInt8(90)
  }
  if (sb.metaBlockAddr * sb.blockSize >= fileSize) throw corrupt(`metadata block ${sb.metaBlockAddr} is past the end`)
  if (sb.dirBlockBits > 4) throw corrupt(`directory block bits ${sb.dirBlockBits} is out of range`)
  return sb
}

export const LAYOUT_FLAT_PLAIN = 0
export const LAYOUT_COMPRESSED_FULL = 1
export const LAYOUT_FLAT_INLINE = 2
export const LAYOUT_COMPRESSED_COMPACT = 3
export const LAYOUT_CHUNK_BASED = 4

export const S_IFMT = 0o170000
export const S_IFSOCK = 0o140000
export const S_IFLNK = 0o120000
export const S_IFREG = 0o100000
export const S_IFBLK = 0o060000
export const S_IFDIR = 0o040000
export const S_IFCHR = 0o020000
export const S_IFIFO = 0o010000

export interface Inode {
  nid: number
  /** Byte offset of the inode in the image. */
  offset: number
  extended: boolean
  layout: number
  /** Full st_mode: type and permission bits. */
  mode: number
  nlink: number
  size: number
  /** raw_blkaddr for flat layouts, rdev for devices. */
  iu: number
  uid: number
  gid: number
  mtime: number
  /** Bytes of inline xattrs right after the inode (0 when none). */
  xattrSize: number
}

/** Decodes the inode whose first 32 bytes (compact) or 64 bytes (extended) are `b`. */
export function parseInode(nid: number, offset: number, b: Buffer, buildTime: number): Inode {
  const format = b.readUInt16LE(0)
  const extended = (format & 1) === 1
  const layout = (format >> 1) & 7
  const icount = b.readUInt16LE(2)
  const xattrSize = icount === 0 ? 0 : 12 + (icount - 1) * 4
  if (extended) {
    const size = b.readBigUInt64LE(8)
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`inode ${nid} has an absurd size ${size}`)
    return {
      nid,
      offset,
      extended,
      layout,
      mode: b.readUInt16LE(4),
      size: Number(size),
      iu: b.readUInt32LE(16),
      uid: b.readUInt32LE(24),
      gid: b.readUInt32LE(28),
      mtime: Number(b.readBigUInt64LE(32)),
      nlink: b.readUInt32LE(44),
      xattrSize
    }
  }
  return {
    nid,
    offset,
    extended,
    layout,
    mode: b.readUInt16LE(4),
    nlink: b.readUInt16LE(6),
    size: b.readUInt32LE(8),
    iu: b.readUInt32LE(16),
    uid: b.readUInt16LE(24),
    gid: b.readUInt16LE(26),
    mtime: buildTime,
    xattrSize
  }
}

export function inodeSize(inode: Inode): number {
  return inode.extended ? 64 : 32
}

/** Decodes a device number as the kernel's `new_decode_dev` does. */
export function decodeDevice(rdev: number): { major: number; minor: number } {
  return { major: (rdev & 0xfff00) >>> 8, minor: (rdev & 0xff) | ((rdev >>> 12) & 0xfff00) }
}

/** Short xattr name prefixes by `e_name_index`. */
export const XATTR_PREFIXES: Record<number, string> = {
  1: 'user.',
  2: 'system.posix_acl_access',
  3: 'system.posix_acl_default',
  4: 'trusted.',
  5: 'lustre.',
  6: 'security.'
}
