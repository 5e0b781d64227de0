// The reader on images that Debian's mkfs.erofs builds from a directory, for what msb's layers do not exercise:
// compact 32-byte inodes, shared xattrs, directories spanning several blocks, block devices and sockets' peers,
// and the compressed and chunk-based layouts the reader must refuse. The oracle is the directory itself (lstat)
// and dump.erofs.
import { execFileSync } from 'node:child_process'
import {
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErofsImage } from './erofs-image'
import { type TreeEntry, walkImage } from './layer-tree'

let dir: string
let src: string
const asRoot = process.getuid?.() === 0

function mkfs(name: string, args: string[]): string {
  const image = join(dir, name)
  execFileSync('mkfs.erofs', ['--quiet', ...args, image, src])
  return image
}

function read(image: string): TreeEntry[] {
  const img = ErofsImage.open(image)
  try {
    return walkImage(img).entries
  } finally {
    img.close()
  }
}

beforeAll(() => {
  // On a disk: mkfs.erofs cannot write its chunk-based images on a RAM file system, where `npm test`
  // keeps the other temporary homes (scripts/test.sh).
  dir = mkdtempSync(join(process.env.ICE_DISK_TMPDIR ?? tmpdir(), 'ice-mkfs-'))
  src = join(dir, 'src')
  mkdirSync(join(src, 'big'), { recursive: true })
  // 3,000 entries: a directory of many blocks.
  for (let i = 0; i < 3000; i++)
    writeFileSync(join(src, 'big', `entry-${String(i).padStart(5, '0')}-${'x'.repeat(i % 40)}`), '')
  writeFileSync(join(src, 'tail'), Buffer.alloc(5000, 7)) // one block plus an inline tail
  writeFileSync(join(src, 'five-mb'), Buffer.alloc(5 * 1024 * 1024, 1))
  writeFileSync(join(src, 'empty'), '')
  writeFileSync(join(src, 'ünï-ファイル'), 'u')
  writeFileSync(join(src, 'n'.repeat(200)), 'long') // Debian's mkfs.erofs 1.5 fails on a 255-byte name
  linkSync(join(src, 'tail'), join(src, 'tail-link'))
  symlinkSync('tail', join(src, 'sym'))
  symlinkSync('/'.padEnd(1000, 'p'), join(src, 'long-sym'))
  let deep = src
  for (let i = 0; i < 30; i++) mkdirSync((deep = join(deep, `d${i}`)))
  writeFileSync(join(deep, 'bottom'), 'b')
  execFileSync('mkfifo', [join(src, 'fifo')])
  for (const d of ['opaque-a', 'opaque-b', 'plain']) mkdirSync(join(src, d))
  if (asRoot) {
    execFileSync('mknod', [join(src, 'null'), 'c', '1', '3'])
    execFileSync('mknod', [join(src, 'disk'), 'b', '259', '300'])
    execFileSync('mknod', [join(src, 'whiteout'), 'c', '0', '0'])
    chownSync(join(src, 'tail'), 1000, 1001)
    execFileSync('chmod', ['4755', join(src, 'tail')])
    // The same opaque xattr on two directories: with -x1 mkfs.erofs shares it.
    execFileSync('python3', [
      '-c',
      `import os\nfor d in ('opaque-a', 'opaque-b'): os.setxattr(os.path.join(${JSON.stringify(src)}, d), 'trusted.overlay.opaque', b'y')`
    ])
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What the directory holds, as the reader must report it. */
function fromDisk(): Map<string, Partial<TreeEntry>> {
  const out = new Map<string, Partial<TreeEntry>>()
  const visit = (abs: string, rel: string) => {
    for (const name of readdirSync(abs)) {
      const a = join(abs, name)
      const st = lstatSync(a)
      const type = st.isDirectory()
        ? 'dir'
        : st.isSymbolicLink()
          ? 'symlink'
          : st.isFile()
            ? 'file'
            : st.isFIFO()
              ? 'fifo'
              : st.isCharacterDevice()
                ? 'char'
                : 'block'
      const e: Partial<TreeEntry> = {
        type,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        size: type === 'file' || type === 'symlink' ? st.size : 0
      }
      if (type === 'symlink') e.target = readlinkSync(a)
      if (type === 'char' || type === 'block')
        e.device = {
          major: Number((BigInt(st.rdev) >> 8n) & 0xfffn),
          minor: Number((BigInt(st.rdev) & 0xffn) | ((BigInt(st.rdev) >> 12n) & 0xfff00n))
        }
      if (type === 'file') e.nlink = st.nlink
      out.set(`${rel}/${name}`, e)
      if (type === 'dir') visit(a, `${rel}/${name}`)
    }
  }
  visit(src, '')
  return out
}

function pick(e: TreeEntry): Partial<TreeEntry> {
  const out: Partial<TreeEntry> = { type: e.type, mode: e.mode, uid: e.uid, gid: e.gid, size: e.size }
  if (e.target !== undefined) out.target = e.target
  if (e.device) out.device = e.device
  if (e.type === 'file') out.nlink = e.nlink
  return out
}

describe('images built by mkfs.erofs', () => {
  for (const [name, args] of [
    ['compact inodes, shared xattrs', ['-T0', '-x1']],
    ['inline xattrs', ['-T0']],
    ['extended inodes (per-file mtimes)', ['--preserve-mtime']]
  ] as const) {
    it(`reads ${name} exactly as the directory holds them`, () => {
      const image = mkfs(`${name.replace(/\W+/g, '-')}.erofs`, [...args])
      const entries = read(image)
      expect(new Map(entries.map((e) => [e.path, pick(e)]))).toEqual(fromDisk())
      if (asRoot) {
        expect(entries.filter((e) => e.opaque).map((e) => e.path)).toEqual(['/opaque-a', '/opaque-b'])
        expect(entries.find((e) => e.path === '/whiteout')?.whiteout).toBe(true)
      }
      const inodeSize = /Inode size:\s*(\d+)/.exec(
        execFileSync('dump.erofs', ['--path=/empty', image], { encoding: 'utf8' })
      )?.[1]
      expect(inodeSize).toBe(name.startsWith('extended') ? '64' : '32')
      // The many-block directory against dump.erofs.
      const big = entries.filter((e) => e.path.startsWith('/big/'))
      const listed = execFileSync('dump.erofs', ['--ls', '--path=/big', image], {
        encoding: 'utf8',
        maxBuffer: 1 << 24
      })
        .split('\n')
        .map((l) => /^\s*(\d+)\s+\d+\s+(entry-\S+)$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => [m[2], Number(m[1])])
      expect(big.map((e) => [e.path.slice(5), e.nid])).toEqual(listed)
    })
  }

  it('shares the opaque xattr with -x1 (the xattr body holds only a shared id)', () => {
    if (!asRoot) return
    const image = mkfs('shared.erofs', ['-T0', '-x1'])
    expect(execFileSync('dump.erofs', ['--path=/opaque-a', image], { encoding: 'utf8' })).toMatch(/Xattr size:\s*16/)
    expect(read(image).find((e) => e.path === '/opaque-a')?.opaque).toBe(true)
  })

  it('refuses compressed and chunk-based files as unsupported', () => {
    expect(() => read(mkfs('lz4.erofs', ['-T0', '-zlz4']))).toThrow(
      /compressed \(layout [13]\); only uncompressed images are read/
    )
    expect(() => read(mkfs('chunked.erofs', ['-T0', '--chunksize=4096']))).toThrow(/chunk-based layout/)
  })
})
