// Sizes kept between sessions: a new Cache on an unchanged cache reuses the stored scan (no lstat of
// every file); a content directory that changed since, or a damaged store file, is measured again.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'

let root: string
let home: string
let store: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-size-store-'))
  home = join(root, 'home')
  store = join(root, 'store')
  buildScenario(home, standardScenario())
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function usageOf(sizeStoreDir?: string) {
  const cache = openCache({ home, sizeStoreDir })
  try {
    return cache.usage()
  } finally {
    cache.close()
  }
}

describe('size store', () => {
  it('gives a new session the same usage, from the stored scan while the directories are unchanged', () => {
    const measured = usageOf(store)
    expect(readdirSync(store).length).toBeGreaterThanOrEqual(3)
    expect(usageOf(store)).toEqual(measured)
    // Proof that the second session did not measure: grow a layer file in place and put its times
    // back (the directory is untouched). A session with the store still sees the stored size; one
    // without measures the file. (msb never writes a content file in place: it renames new ones in.)
    const layers = join(home, 'cache', 'layers')
    const layer = readdirSync(layers).find((n) => n.endsWith('.erofs'))!
    const epoch = new Date('2026-01-01T00:00:00Z')
    appendFileSync(join(layers, layer), Buffer.alloc(4096))
    utimesSync(join(layers, layer), epoch, epoch)
    expect(usageOf(store).totalBytes).toBe(measured.totalBytes)
    expect(usageOf().totalBytes).toBe(measured.totalBytes + 4096)
    // The file stays grown; the later tests compare with fresh measurements only.
  })

  it('measures a directory again once it changed (a file came or went)', () => {
    const before = usageOf()
    const stray = join(home, 'cache', 'layers', `sha256_${'e'.repeat(64)}.erofs`)
    writeFileSync(stray, Buffer.alloc(1000))
    try {
      expect(usageOf(store).totalBytes).toBe(before.totalBytes + 1000)
    } finally {
      rmSync(stray)
    }
    expect(usageOf(store).totalBytes).toBe(before.totalBytes)
  })

  it('treats a damaged store file as a miss', () => {
    const truth = usageOf()
    for (const name of readdirSync(store)) writeFileSync(join(store, name), '{"format":1,"path":')
    expect(usageOf(store)).toEqual(truth)
  })

  it('treats a store file whose columns do not line up as a miss', () => {
    const truth = usageOf(store)
    // Every stored size shifted by one entry (a column lost a value): the sizes would be wrong.
    for (const name of readdirSync(store)) {
      const stored = JSON.parse(readFileSync(join(store, name), 'utf8')) as { bytes: number[] }
      stored.bytes = [...stored.bytes.slice(1), 1]
      writeFileSync(join(store, name), JSON.stringify({ ...stored, bytes: stored.bytes.slice(1) }))
    }
    expect(usageOf(store)).toEqual(truth)
  })
})
