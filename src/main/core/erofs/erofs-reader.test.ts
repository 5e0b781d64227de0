// The EROFS reader on hostile input: hand-made corruptions with a known right answer, then mutation fuzzing of
// layer images the real msb built. Nothing may crash, hang or read outside the image.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCache } from '../../demo/build-cache'
import { fuzzErofs } from '../../../../test-support/fixtures/erofs-fuzz'
import { FILE_LAYERS } from '../../../../test-support/fixtures/file-scenarios'
import { ErofsImage } from './erofs-image'
import { BufferSource } from './image-source'
import { walkImage } from './layer-tree'

let home: string
let images: Buffer[]

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ice-erofs-'))
  buildCache(home, [{ reference: 'files:1', image: { layers: FILE_LAYERS } }])
  const dir = join(home, 'cache', 'layers')
  images = readdirSync(dir)
    .filter((f) => f.endsWith('.erofs'))
    .sort()
    .map((f) => readFileSync(join(dir, f)))
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

const read = (data: Buffer) =>
  walkImage(new ErofsImage(new BufferSource(data)), {
    maxEntries: 10_000,
    maxDepth: 64,
    timeoutMs: 2000,
    maxBytes: 1 << 30
  })

/** The base layer (the one with /etc/keep) and where the dirent naming `name` inside directory `dir` sits. */
function direntOf(dirPath: string, name: string): { data: Buffer; at: number; dirNid: number } {
  for (const data of images) {
    const image = new ErofsImage(new BufferSource(data))
    const entries = walkImage(image).entries
    const dir = entries.find((e) => e.path === dirPath && e.type === 'dir')
    if (!dir || !entries.some((e) => e.path === `${dirPath}/${name}`)) continue
    const inode = image.inode(dir.nid)
    const start = inode.offset + 64 + inode.xattrSize
    const block = data.subarray(start, start + inode.size)
    const count = block.readUInt16LE(8) / 12
    for (let i = 0; i < count; i++) {
      const off = block.readUInt16LE(i * 12 + 8)
      const end = i + 1 < count ? block.readUInt16LE((i + 1) * 12 + 8) : block.length
      if (block.subarray(off, end).toString('utf8').replace(/\0+$/, '') === name)
        return { data: Buffer.from(data), at: start + i * 12, dirNid: dir.nid }
    }
  }
  throw new Error(`no dirent ${dirPath}/${name}`)
}

describe('the EROFS reader on damaged images', () => {
  it('reads every unmodified layer', () => {
    for (const data of images) expect(read(data).entries.length).toBeGreaterThan(3)
  })

  it('stops a directory loop with a clear error', () => {
    const { data, at, dirNid } = direntOf('/etc', 'keep')
    data.writeBigUInt64LE(BigInt(dirNid), at) // /etc/keep now names /etc itself
    expect(() => read(data)).toThrow(/corrupt EROFS image: directory loop at \/etc\/keep/)
  })

  it('refuses an inode number past the end, an absurd size, a bad magic and a truncated file', () => {
    const loop = direntOf('/etc', 'keep')
    loop.data.writeBigUInt64LE(0xffffffffffn, loop.at)
    expect(() => read(loop.data)).toThrow(/corrupt EROFS image: inode \d+ lies past the end/)

    const big = direntOf('/usr/lib', 'libfoo.so.1')
    const image = new ErofsImage(new BufferSource(big.data))
    const nid = Number(big.data.readBigUInt64LE(big.at))
    big.data.writeBigUInt64LE(2n ** 50n, image.inode(nid).offset + 8) // extended inode i_size
    expect(() => read(big.data)).toThrow(/corrupt EROFS image: data of inode \d+ .* lies past the end/)

    const magic = Buffer.from(images[0])
    magic.writeUInt32LE(0x12345678, 1024)
    expect(() => read(magic)).toThrow(/bad magic/)
    expect(() => read(images[0].subarray(0, 1100))).toThrow(/too small/)
    expect(() => read(images[0].subarray(0, 5000))).toThrow(/corrupt EROFS image/)
  })

  it('refuses compressed and chunk-based inodes as unsupported', () => {
    const { data } = direntOf('/etc', 'keep')
    const image = new ErofsImage(new BufferSource(data))
    const root = image.inode(image.superblock.rootNid)
    data.writeUInt16LE((data.readUInt16LE(root.offset) & ~0b1110) | (3 << 1), root.offset)
    expect(() => read(data)).toThrow(/compressed \(layout 3\)/)
    data.writeUInt16LE((data.readUInt16LE(root.offset) & ~0b1110) | (4 << 1), root.offset)
    expect(() => read(data)).toThrow(/chunk-based/)
  })

  it('survives 400 mutated images: a tree or a clear error each time, never a crash or a hang', () => {
    const seed = Number(process.env.ICE_SEED ?? Date.now()) % 2 ** 31
    const figures = fuzzErofs(images, 400, seed)
    console.log(
      `erofs fuzz seed ${seed} (replay with ICE_SEED=${seed}): ${JSON.stringify({ ...figures, failures: figures.failures.length })}`
    )
    expect(figures.failures).toEqual([])
    expect(figures.read + Object.values(figures.rejected).reduce((a, b) => a + b, 0)).toBe(400)
  })
})
