// Names in a layer are bytes, not always UTF-8. Two names that differ only in bytes that are not UTF-8
// must stay two entries (decoding both to U+FFFD made them one), and each must come back as its bytes.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { escapeField } from '../../cli/terminal-text'
import { decodeName, ErofsImage } from './erofs-image'
import { walkImage } from './layer-tree'

const dir = mkdtempSync(join(tmpdir(), 'ice-name-bytes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A name's string back to the bytes it stands for (the inverse of decodeName). */
function encodeName(name: string): Buffer {
  const parts: Buffer[] = []
  for (const ch of name) {
    const code = ch.charCodeAt(0)
    parts.push(ch.length === 1 && code >= 0xdc80 && code <= 0xdcff ? Buffer.from([code - 0xdc00]) : Buffer.from(ch))
  }
  return Buffer.concat(parts)
}

it('two names that differ only in invalid UTF-8 stay two entries, each its own bytes', () => {
  const src = join(dir, 'src')
  mkdirSync(src)
  const names = [
    Buffer.from([0x61, 0xff]),
    Buffer.from([0x61, 0xfe]),
    Buffer.from([0x61, 0xc3]), // a lead byte without its continuation
    Buffer.from([0x61, 0xed, 0xa0, 0x80]), // an encoded surrogate, not valid UTF-8
    Buffer.from('a-ü-日本-😀')
  ]
  for (const name of names) writeFileSync(Buffer.concat([Buffer.from(src + '/'), name]), 'x')
  symlinkSync(Buffer.from([0x74, 0xff]), Buffer.concat([Buffer.from(src + '/'), Buffer.from('link')]))
  const image = join(dir, 'names.erofs')
  execFileSync('mkfs.erofs', ['--quiet', image, src])
  const img = ErofsImage.open(image)
  try {
    const entries = walkImage(img).entries
    const files = entries.filter((e) => e.type === 'file').map((e) => e.path.slice(1))
    expect(new Set(files).size).toBe(names.length)
    expect(files.map(encodeName).sort(Buffer.compare)).toEqual([...names].sort(Buffer.compare))
    expect(files).toContain('a-ü-日本-😀')
    expect(encodeName(entries.find((e) => e.type === 'symlink')!.target!)).toEqual(Buffer.from([0x74, 0xff]))
  } finally {
    img.close()
  }
  // A terminal is shown the bytes as escapes; valid text stays as it is.
  expect(escapeField(decodeName(Buffer.from([0x61, 0xff, 0x0a])))).toBe('a\\xff\\n')
  expect(escapeField(decodeName(Buffer.from('😀')))).toBe('😀')
})
