// Positional reads from one open EROFS file, never outside it.
//
// The file is opened with O_NOFOLLOW (a symlink planted at the layer's path is refused, never followed) and must be
// a regular file. Reads go through a small window cache: metadata of one image sits close together (inodes, then
// directory blocks), so 64 KiB windows turn tens of thousands of tiny reads into a few hundred `pread`s, and at
// most WINDOWS windows are kept, so memory stays bounded whatever the image's size.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { refuseDatabaseFile } from '../database/database-inodes'
import { corrupt, ErofsError } from './erofs-error'

const WINDOW = 64 * 1024
const WINDOWS = 32

export interface ByteSource {
  readonly size: number
  /** Exactly `length` bytes at `offset`; throws a corrupt-image error when any of them lies past the end. */
  bytes(offset: number, length: number): Buffer
  close(): void
}

export class FileSource implements ByteSource {
  readonly size: number
  private readonly windows = new Map<number, Buffer>()

  private constructor(
    private fd: number | null,
    size: number
  ) {
    this.size = size
  }

  static open(path: string): FileSource {
    // Before the open: closing a descriptor of a file SQLite has open would drop its locks.
    refuseDatabaseFile(path)
    let fd: number
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ELOOP') throw new ErofsError('corrupt', `not a regular file (a symlink): ${path}`)
      throw e
    }
    try {
      const st = fstatSync(fd)
      if (!st.isFile()) throw new ErofsError('corrupt', `not a regular file: ${path}`)
      return new FileSource(fd, st.size)
    } catch (e) {
      closeSync(fd)
      throw e
    }
  }

  bytes(offset: number, length: number): Buffer {
    checkRange(offset, length, this.size)
    const first = Math.floor(offset / WINDOW)
    const last = Math.floor((offset + length - 1) / WINDOW)
    if (length === 0) return Buffer.alloc(0)
    if (first === last) {
      const w = this.window(first)
      const at = offset - first * WINDOW
      return w.subarray(at, at + length)
    }
    const out = Buffer.alloc(length)
    let done = 0
    for (let i = first; i <= last; i++) {
      const w = this.window(i)
      const from = i === first ? offset - first * WINDOW : 0
      const n = Math.min(w.length - from, length - done)
      w.copy(out, done, from, from + n)
      done += n
    }
    return out
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
    this.windows.clear()
  }

  private window(index: number): Buffer {
    const cached = this.windows.get(index)
    if (cached) {
      // Re-insert: Map order is the LRU order.
      this.windows.delete(index)
      this.windows.set(index, cached)
      return cached
    }
    if (this.fd === null) throw new Error('EROFS image already closed')
    const start = index * WINDOW
    const len = Math.min(WINDOW, this.size - start)
    const buf = Buffer.alloc(len)
    let got = 0
    while (got < len) {
      const n = readSync(this.fd, buf, got, len - got, start + got)
      if (n === 0) throw corrupt(`file shrank while reading at ${start + got}`)
      got += n
    }
    if (this.windows.size >= WINDOWS) this.windows.delete(this.windows.keys().next().value as number)
    this.windows.set(index, buf)
    return buf
  }
}

/** An in-memory image (the fuzz tests mutate bytes without touching the disk). */
export class BufferSource implements ByteSource {
  readonly size: number
  constructor(private readonly data: Buffer) {
    this.size = data.length
  }
  bytes(offset: number, length: number): Buffer {
    checkRange(offset, length, this.size)
    return this.data.subarray(offset, offset + length)
  }
  close(): void {}
}

function checkRange(offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw corrupt(`bad offset ${offset} or length ${length}`)
  }
  if (offset + length > size) throw corrupt(`offset ${offset}+${length} is past the end of the image (${size} bytes)`)
}
