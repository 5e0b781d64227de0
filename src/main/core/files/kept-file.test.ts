// The explorer's kept files never pile up: a `.part` a killed run left is removed by the next write of that file,
// while one a running writer is still filling stays.
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { STALE_PART_MS, writeKeptFile } from './kept-file'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ice-kept-file-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it('writes the file whole, and removes the parts killed runs left, not one being written', () => {
  const file = join(dir, 'listing.v8')
  const killed = `${file}.123.abc.part`
  const writing = `${file}.456.def.part`
  const another = join(dir, 'other.v8.789.ghi.part')
  for (const part of [killed, writing, another]) writeFileSync(part, 'half')
  const past = (Date.now() - STALE_PART_MS - 5_000) / 1000
  utimesSync(killed, past, past)
  utimesSync(another, past, past)

  expect(writeKeptFile(file, 'whole')).toBe(true)
  expect(readFileSync(file, 'utf8')).toBe('whole')
  expect(readdirSync(dir).sort()).toEqual(['listing.v8', 'listing.v8.456.def.part', 'other.v8.789.ghi.part'])
})
