// The same oracles on layers msb 0.7.2 (the current release) builds from the same tars: its EROFS files are read
// the same way, and the merged view and dive's figures come out the same.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diveEfficiency } from '../../../../test-support/fixtures/dive-oracle'
import { FILE_LAYERS } from '../../../../test-support/fixtures/file-scenarios'
import { comparable, expectedFromTar, mergedFromTars } from '../../../../test-support/fixtures/layer-oracle'
import { readTar, type TarRecord } from '../../../../test-support/fixtures/tar-reader'
import { filesJson } from '../../cli/files-output'
import { buildCache } from '../../demo/build-cache'
import { isMsbAvailable } from '../../demo/msb'
import { buildOciImage } from '../../demo/oci-archive'
import { type Cache, openCache } from '../cache'
import { ErofsImage } from '../erofs/erofs-image'
import { walkImage } from '../erofs/layer-tree'
import { layerFileName } from '../homes/file-names'

const available = isMsbAvailable('0.7.2')
let home: string
let cache: Cache
let layers: { diffId: string; records: TarRecord[] }[]

beforeAll(() => {
  if (!available) return
  home = mkdtempSync(join(tmpdir(), 'ice-files07-'))
  buildCache(home, [{ reference: 'files:1', image: { layers: FILE_LAYERS } }], { msb: '0.7.2' })
  const built = buildOciImage({ layers: FILE_LAYERS })
  layers = built.info.layers.map((l) => ({
    diffId: l.diffId,
    records: readTar(gunzipSync(built.blobs.get(l.blobDigest)!))
  }))
  cache = openCache({ home })
})
afterAll(() => {
  cache?.close()
  if (home) rmSync(home, { recursive: true, force: true })
})

describe.skipIf(!available)('layers built by msb 0.7.2', () => {
  it('hold exactly what their tars hold', () => {
    for (const { diffId, records } of layers) {
      const image = ErofsImage.open(join(home, 'cache', 'layers', layerFileName(diffId)!))
      try {
        const actual = new Map(walkImage(image).entries.map((e) => [e.path, comparable(e)]))
        expect(actual).toEqual(expectedFromTar(records))
      } finally {
        image.close()
      }
    }
  })

  it("give the OCI rules' merged view and dive's figures", () => {
    const files = cache.imageFiles({ reference: 'files:1' })
    const sorted = [...(filesJson(files) as { path: string }[])].sort((a, b) => (a.path < b.path ? -1 : 1))
    expect(sorted).toEqual(mergedFromTars(layers.map((l) => l.records)))
    const dive = diveEfficiency(layers.map((l) => l.records))
    expect(files.waste.efficiency).toBeCloseTo(dive.efficiency, 12)
    expect(files.waste.wastedBytes).toBe(dive.wastedBytes)
  })
})
