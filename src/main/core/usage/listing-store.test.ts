// Figures kept between runs (listing-store.ts) come back only for exactly the rows and folders they
// were computed from: a commit that changes a row, a file renamed into a content folder, a removal or
// another build of the code each make them miss; msb's own commands that only read (and take and clear
// their install lease in the database) do not. Nothing is kept right after a folder changed.
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCache, markInUse } from '../../demo/build-cache'
import { runMsb } from '../../demo/msb'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { smallImage, smallScenario } from '../../../../test-support/core/small-scenario'
import { openCache } from '../cache'
import { readCacheState } from '../database/cache-state'
import { ImageQueries } from '../database/image-queries'
import { type CacheLocation, locateCache } from '../homes/home'
import { ListingStore } from './listing-store'

let root: string
let home: string
let location: CacheLocation
/** A "now" well after the cache last changed, so its folders are not too young to trust. */
const later = () => BigInt(Date.now() + 1_000) * 1_000_000n

/** The key `store` gives the cache as it is now: folders stamped first, then the rows read, as `ice ls` does. */
function keyNow(store: ListingStore): string {
  const keep = store.begin(location, later())!
  const db = new Database(location.dbPath, { readonly: true })
  try {
    const state = readCacheState(db)
    return keep.keyOf(
      state,
      new ImageQueries(db).listRows().map((r) => r.reference)
    )!
  } finally {
    db.close()
  }
}

function usagesNow() {
  const cache = openCache({ home })
  try {
    return cache.listing().usages
  } finally {
    cache.close()
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-listing-'))
  home = join(root, 'home')
  buildScenario(home, smallScenario())
  location = locateCache({ home })
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('kept figures', () => {
  it('come back for the same rows and folders, also after msb only read the cache; not for other code', () => {
    const store = new ListingStore(join(root, 'store-a'), 'code-1')
    const key = keyNow(store)
    const usages = usagesNow()
    store.begin(location, later())!.save(key, usages)
    expect(store.begin(location, later())!.load(keyNow(store))).toEqual(usages)
    // Every msb command writes its install lease to the database; a listing does not depend on it.
    runMsb(home, ['image', 'ls'])
    expect(keyNow(store)).toBe(key)
    // Another build of the explorer: its figures may be computed differently.
    expect(new ListingStore(join(root, 'store-a'), 'code-2').begin(location, later())!.load(key)).toBeNull()
  })

  it('are missed after a row changes, a file is renamed into a content folder, msb loads or the explorer removes', () => {
    const store = new ListingStore(join(root, 'store-b'), 'code-1')
    const keys = [keyNow(store)]
    markInUse(home, 'localhost/web:1', { name: 'web-runner', status: 'Running' })
    keys.push(keyNow(store))
    // A layer file msb renames into place before its rows: its folder changed, and so may the figures.
    const layers = join(location.cacheDir, 'layers')
    writeFileSync(join(layers, 'incoming.part'), 'x')
    renameSync(join(layers, 'incoming.part'), join(layers, `${'e'.repeat(64)}.erofs`))
    keys.push(keyNow(store))
    buildCache(home, [{ reference: 'localhost/late:1', image: smallImage('late', []) }])
    keys.push(keyNow(store))
    const cache = openCache({ home, graceMs: 0 })
    cache.remove({ references: ['localhost/solo:1'], force: false })
    cache.close()
    keys.push(keyNow(store))
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('are not kept when a folder changed within two ticks of the clock, nor when run from the sources', () => {
    const layers = join(location.cacheDir, 'layers')
    writeFileSync(join(layers, 'young.part'), 'x')
    renameSync(join(layers, 'young.part'), join(layers, `${'f'.repeat(64)}.erofs`))
    const changed = statSync(layers, { bigint: true }).mtimeNs
    const store = new ListingStore(join(root, 'store-c'), 'code-1')
    expect(store.begin(location, changed + 5_000_000n)).toBeNull()
    expect(store.begin(location, changed + 25_000_000n)).not.toBeNull()
    // Here the code is TypeScript run by vitest: nothing can say it is the code that computed them.
    expect(new ListingStore(join(root, 'store-c')).begin(location, later())).toBeNull()
  })
})
