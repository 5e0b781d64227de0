// A read-only view of one EROFS image: inodes, directories, symlink targets and the xattrs overlayfs reads.
// Metadata only: the data blocks of regular files are never read, only checked to lie inside the image.
//
// Only the uncompressed flat layouts are read (0 = flat plain, 2 = flat inline: what msb writes); compressed and
// chunk-based inodes are refused with an 'unsupported' error rather than misread.
import { corrupt, ErofsError } from './erofs-error'
import { type ByteSource, FileSource } from './image-source'
import {
  type Inode,
  inodeSize,
  LAYOUT_CHUNK_BASED,
  LAYOUT_COMPRESSED_COMPACT,
  LAYOUT_COMPRESSED_FULL,
  LAYOUT_FLAT_INLINE,
  LAYOUT_FLAT_PLAIN,
  parseInode,
  parseSuperblock,
  type Superblock,
  SUPERBLOCK_OFFSET,
  XATTR_PREFIXES
} from './on-disk'

const DIRENT_SIZE = 12
/** A symlink target longer than PATH_MAX is not one any kernel would follow. */
const MAX_SYMLINK = 4096
const MAX_NAME = 255

export interface DirEntry {
  name: string
  nid: number
  fileType: number
}

export interface Xattr {
  name: string
  value: Buffer
}

export class ErofsImage {
  readonly superblock: Superblock

  constructor(private readonly source: ByteSource) {
    if (source.size < SUPERBLOCK_OFFSET + 128) throw corrupt(`file of ${source.size} bytes is too small`)
    this.superblock = parseSuperblock(source.bytes(SUPERBLOCK_OFFSET, 128), source.size)
  }

  /** Opens a layer file by path: O_NOFOLLOW, regular files only. */
  static open(path: string): ErofsImage {
    const source = FileSource.open(path)
    try {
      return new ErofsImage(source)
    } catch (e) {
      source.close()
      throw e
    }
  }

  get size(): number {
    return this.source.size
  }

  close(): void {
    this.source.close()
  }

  inode(nid: number): Inode {
    const sb = this.superblock
    if (!Number.isSafeInteger(nid) || nid < 0) throw corrupt(`bad inode number ${nid}`)
    const offset = sb.metaBlockAddr * sb.blockSize + nid * 32
    if (offset + 32 > this.source.size) throw corrupt(`inode ${nid} lies past the end of the image`)
    const head = this.source.bytes(offset, 32)
    const extended = (head.readUInt16LE(0) & 1) === 1
    const inode = parseInode(nid, offset, extended ? this.source.bytes(offset, 64) : head, sb.buildTime)
    this.checkLayout(inode)
    return inode
  }

  /** The entries of a directory inode, without `.` and `..`, in on-disk (sorted) order. */
  readDir(dir: Inode, maxEntries: number): DirEntry[] {
    const blockSize = this.superblock.blockSize << this.superblock.dirBlockBits
    if (dir.size > this.source.size) throw corrupt(`directory ${dir.nid} claims ${dir.size} bytes, more than the image`)
    const out: DirEntry[] = []
    for (let pos = 0; pos < dir.size; pos += blockSize) {
      const block = this.readData(dir, pos, Math.min(blockSize, dir.size - pos))
      parseDirBlock(block, dir.nid, out)
      if (out.length > maxEntries)
        throw new ErofsError('limit', `directory ${dir.nid} has more than ${maxEntries} entries`)
    }
    return out
  }

  readLink(inode: Inode): string {
    if (inode.size === 0 || inode.size > MAX_SYMLINK) throw corrupt(`symlink ${inode.nid} has length ${inode.size}`)
    return decodeName(this.readData(inode, 0, inode.size))
  }

  /** Inline and shared xattrs of an inode (names with their prefix, e.g. `trusted.overlay.opaque`). */
  xattrs(inode: Inode): Xattr[] {
    if (inode.xattrSize === 0) return []
    const base = inode.offset + inodeSize(inode)
    const body = this.source.bytes(base, inode.xattrSize)
    if (body.length < 12) throw corrupt(`inode ${inode.nid} has a truncated xattr header`)
    const shared = body.readUInt8(4)
    let pos = 12 + shared * 4
    if (pos > body.length) throw corrupt(`inode ${inode.nid} lists ${shared} shared xattrs in ${body.length} bytes`)
    const out: Xattr[] = []
    for (let i = 0; i < shared; i++) {
      const at = this.superblock.xattrBlockAddr * this.superblock.blockSize + body.readUInt32LE(12 + i * 4) * 4
      const head = this.source.bytes(at, 4)
      const entry = this.source.bytes(at, 4 + head.readUInt8(0) + head.readUInt16LE(2))
      out.push(decodeXattr(entry))
    }
    while (pos + 4 <= body.length) {
      const nameLen = body.readUInt8(pos)
      const valueSize = body.readUInt16LE(pos + 2)
      const end = pos + 4 + nameLen + valueSize
      if (end > body.length) throw corrupt(`inode ${inode.nid} has an xattr running past its xattr area`)
      out.push(decodeXattr(body.subarray(pos, end)))
      pos = (end + 3) & ~3
    }
    return out
  }

  /**
   * `length` bytes at `pos` of a flat inode's data: whole blocks at raw_blkaddr, and for the inline layout the last
   * partial block right after the inode and its xattrs (erofs_map_blocks_flat in the kernel).
   */
  private readData(inode: Inode, pos: number, length: number): Buffer {
    const bs = this.superblock.blockSize
    const blocks = Math.ceil(inode.size / bs)
    const inline = inode.layout === LAYOUT_FLAT_INLINE
    const plainEnd = (inline ? blocks - 1 : blocks) * bs
    if (pos + length <= plainEnd) return this.source.bytes(inode.iu * bs + pos, length)
    if (pos < plainEnd) {
      const head = this.readData(inode, pos, plainEnd - pos)
      return Buffer.concat([head, this.readData(inode, plainEnd, pos + length - plainEnd)])
    }
    const start = inode.offset + inodeSize(inode) + inode.xattrSize
    if ((start % bs) + (inode.size - plainEnd) > bs) throw corrupt(`inline data of inode ${inode.nid} crosses a block`)
    return this.source.bytes(start + pos - plainEnd, length)
  }

  private checkLayout(inode: Inode): void {
    const { layout } = inode
    if (layout === LAYOUT_COMPRESSED_FULL || layout === LAYOUT_COMPRESSED_COMPACT) {
      throw new ErofsError(
        'unsupported',
        `inode ${inode.nid} is compressed (layout ${layout}); only uncompressed images are read`
      )
    }
    if (layout === LAYOUT_CHUNK_BASED)
      throw new ErofsError('unsupported', `inode ${inode.nid} uses the chunk-based layout`)
    if (layout !== LAYOUT_FLAT_PLAIN && layout !== LAYOUT_FLAT_INLINE)
      throw corrupt(`inode ${inode.nid} has unknown layout ${layout}`)
    const bs = this.superblock.blockSize
    const blocks = Math.ceil(inode.size / bs) - (layout === LAYOUT_FLAT_INLINE ? 1 : 0)
    if (blocks > 0 && (inode.iu + blocks) * bs > this.source.size) {
      throw corrupt(
        `data of inode ${inode.nid} (${inode.size} bytes at block ${inode.iu}) lies past the end of the image`
      )
    }
  }
}

function parseDirBlock(block: Buffer, nid: number, out: DirEntry[]): void {
  if (block.length < DIRENT_SIZE) throw corrupt(`directory ${nid} has a truncated block`)
  const firstNameOff = block.readUInt16LE(8)
  if (firstNameOff < DIRENT_SIZE || firstNameOff % DIRENT_SIZE !== 0 || firstNameOff >= block.length) {
    throw corrupt(`directory ${nid} has a bad first name offset ${firstNameOff}`)
  }
  const count = firstNameOff / DIRENT_SIZE
  for (let i = 0; i < count; i++) {
    const at = i * DIRENT_SIZE
    const nameOff = block.readUInt16LE(at + 8)
    const nameEnd = i + 1 < count ? block.readUInt16LE(at + DIRENT_SIZE + 8) : block.length
    if (nameOff < firstNameOff || nameEnd < nameOff || nameEnd > block.length) {
      throw corrupt(`directory ${nid} has name offsets out of order`)
    }
    let raw = block.subarray(nameOff, nameEnd)
    const nul = raw.indexOf(0)
    if (nul >= 0) {
      if (i + 1 < count) throw corrupt(`directory ${nid} has a NUL inside a name`)
      raw = raw.subarray(0, nul)
    }
    if (raw.length === 0 || raw.length > MAX_NAME || raw.includes(0x2f))
      throw corrupt(`directory ${nid} has an invalid name`)
    const name = decodeName(raw)
    if (name === '.' || name === '..') continue
    const big = block.readBigUInt64LE(at)
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`directory ${nid} names inode ${big}`)
    out.push({ name, nid: Number(big), fileType: block.readUInt8(at + 10) })
  }
}

function decodeXattr(entry: Buffer): Xattr {
  const nameLen = entry.readUInt8(0)
  const index = entry.readUInt8(1)
  const valueSize = entry.readUInt16LE(2)
  const prefix = index & 0x80 ? `(long prefix ${index & 0x7f})` : (XATTR_PREFIXES[index] ?? '')
  return {
    name: prefix + entry.subarray(4, 4 + nameLen).toString('utf8'),
    value: entry.subarray(4 + nameLen, 4 + nameLen + valueSize)
  }
}

/**
 * A name's bytes as text, without losing any: valid UTF-8 as itself, and each byte that is not part of
 * valid UTF-8 as the lone surrogate U+DC80 + byte (Python's "surrogateescape"). Decoding with U+FFFD
 * instead made two different names (`a\xff`, `a\xfe`) one, so the merged view showed one file where a
 * layer holds two. No valid text contains a lone surrogate, so distinct bytes stay distinct strings;
 * JSON writes them as `\udcff` and the CLI as `\xff`.
 */
export function decodeName(raw: Buffer): string {
  const text = raw.toString('utf8')
  if (!text.includes('\ufffd') || (Buffer.byteLength(text) === raw.length && Buffer.from(text).equals(raw))) return text
  let out = ''
  for (let i = 0; i < raw.length;) {
    const n = validSequence(raw, i)
    if (n > 0) {
      out += raw.subarray(i, i + n).toString('utf8')
      i += n
    } else out += String.fromCharCode(0xdc00 + raw[i++])
  }
  return out
}

/** Length of the valid UTF-8 sequence at `i` (no overlong forms, surrogates or values past U+10FFFF), or 0. */
function validSequence(b: Buffer, i: number): number {
  const c = b[i]
  if (c < 0x80) return 1
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0
  return 0
}
