// Layers tampered to exhaust the file browser. Long shared prefixes: V8 hashes at most 16,383 characters
// of a string, so 70 nested 255-byte directory names (paths of ~18,000 characters) with 8,000 files at
// the bottom made every Map or Set keyed by path collide (a 167 s `imageFiles`). The analysis now finds
// an entry's parent by index and keys its maps by single names; the test watches every Map and Set
// operation and fails if one is keyed by a string V8 would not hash in full. Memory: entries are bounded
// by what they cost, not by count, and refused with a message that says what was too large.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { ErofsImage } from '../erofs/erofs-image'
import { DEFAULT_LIMITS, ENTRY_BYTES, type TreeEntry, walkImage } from '../erofs/layer-tree'
import { analyseImage } from './image-analysis'
import { imageFilesView } from './file-views'

/** V8's String::kMaxHashCalcLength: longer strings hash by their length alone. */
const V8_FULL_HASH = 16_383

/** A layer as the walk lists it: `depth` nested directories of `nameLength`-character names, `files` files at the bottom. */
function deepLayer(depth: number, nameLength: number, files: number, seed = 'd'): TreeEntry[] {
  const entries: TreeEntry[] = []
  let path = ''
  let parent = -1
  const base = { size: 0, mode: 0o755, uid: 0, gid: 0, nlink: 1 }
  for (let d = 0; d < depth; d++) {
    const name = `${seed}${d}`.padEnd(nameLength, 'x')
    path = `${path}/${name}`
    entries.push({ ...base, path, name, parent, type: 'dir', nid: entries.length + 1 })
    parent = entries.length - 1
  }
  for (let f = 0; f < files; f++) {
    const name = `file-${f}`
    entries.push({
      ...base,
      path: `${path}/${name}`,
      name,
      parent,
      type: 'file',
      size: 10,
      mode: 0o644,
      nid: 10_000 + f
    })
  }
  return entries
}

/** Runs `work` and returns the length of the longest string any Map or Set was asked about meanwhile. */
function longestKey(work: () => void): number {
  let longest = 0
  const note = (key: unknown) => {
    if (typeof key === 'string' && key.length > longest) longest = key.length
  }
  const patched: [object, string, (...args: unknown[]) => unknown][] = []
  for (const proto of [Map.prototype, Set.prototype]) {
    for (const method of ['get', 'set', 'has', 'add', 'delete']) {
      const original = (proto as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>)[method]
      if (!original) continue
      patched.push([proto, method, original])
      ;(proto as unknown as Record<string, unknown>)[method] = function (
        this: unknown,
        key: unknown,
        ...rest: unknown[]
      ) {
        note(key)
        return original.call(this, key, ...rest)
      }
    }
  }
  try {
    work()
  } finally {
    for (const [proto, method, original] of patched) (proto as Record<string, unknown>)[method] = original
  }
  return longest
}

it('70 nested 255-character names over 1,000 files: no Map or Set is keyed by a path V8 cannot hash', () => {
  const lower = deepLayer(70, 255, 1000)
  // An upper layer rewriting the same paths: the analysis looks every one of them up.
  const upper = deepLayer(70, 255, 1000)
  expect(lower.at(-1)!.path.length).toBeGreaterThan(V8_FULL_HASH)
  let files = 0
  const longest = longestKey(() => {
    const analysis = analyseImage([lower, upper])
    files = imageFilesView({ reference: 'r', manifestDigest: null, layers: [] }, analysis, null).entries.length
    imageFilesView({ reference: 'r', manifestDigest: null, layers: [] }, analysis, 1)
  })
  expect(files).toBe(70 + 1000)
  expect(longest).toBeLessThanOrEqual(255)
})

const dir = mkdtempSync(join(tmpdir(), 'ice-hostile-trees-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('a layer whose entries would cost more memory than allowed is refused, saying so, whatever their count', () => {
  const src = join(dir, 'src')
  mkdirSync(join(src, 'many'), { recursive: true })
  for (let i = 0; i < 600; i++) writeFileSync(join(src, 'many', `f${i}`), '')
  const image = join(dir, 'many.erofs')
  execFileSync('mkfs.erofs', ['--quiet', image, src])
  const walk = (maxBytes: number) => {
    const img = ErofsImage.open(image)
    try {
      return walkImage(img, { ...DEFAULT_LIMITS, maxBytes }).entries.length
    } finally {
      img.close()
    }
  }
  expect(walk(DEFAULT_LIMITS.maxBytes)).toBe(601)
  // 601 entries fit in their cost; half of it does not, though the count (5 million allowed) is far off.
  expect(walk(601 * (ENTRY_BYTES + 16))).toBe(601)
  // Long paths are bounded apart: every view writes each path once, and no string holds more than ~512 M characters.
  const img = ErofsImage.open(image)
  try {
    expect(() => walkImage(img, { ...DEFAULT_LIMITS, maxPathChars: 1000 })).toThrow(
      /the layer is too large to show: the paths of its first \d+ entries total more than 1,000 characters/
    )
  } finally {
    img.close()
  }
  expect(() => walk(300 * ENTRY_BYTES)).toThrow(
    /the layer is too large to show: its first \d+ entries .* would need more than/
  )
})
