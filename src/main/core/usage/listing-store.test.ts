// A listing kept between runs (listing-store.ts) is given back only while nothing it is made of has
// changed: any commit to the database, any file added to or removed from a content folder, another
// build of the code. A listing read right after a change is not kept at all.
import { mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCache, markInUse } from '../../demo/build-cache'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { smallImage, smallScenario } from '../../../../test-support/core/small-scenario'
import { openCache } from '../cache'
import { locateCache } from '../homes/home'
import { type Listing, ListingStore } from './listing-store'

let root: string
let home: string
/** A "now" well after the home was built, so its stamps are not too young to keep. */
const later = () => BigInt(Date.now() + 1_000) * 1_000_000n

function listingOf(): Listing {
  const cache = openCache({ home })
  try {
    return { images: cache.list(), usages: cache.imageUsages() }
  } finally {
    cache.close()
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-listing-'))
  home = join(root, 'home')
  buildScenario(home, smallScenario())
  // The first read leaves the database's -wal (msb removed it when it closed), as `ice` itself does
  // before it takes the stamps.
  listingOf()
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('a kept listing', () => {
  it('comes back while the cache is unchanged, and not after a removal or for other code', () => {
    const location = locateCache({ home })
    const store = new ListingStore(join(root, 'store-a'), 'code-1')
    const stamps = store.stamps(location, later())!
    expect(stamps).not.toBeNull()
    const listing = listingOf()
    store.save(location, stamps, listing)
    expect(store.load(location, store.stamps(location, later())!)).toEqual(listing)
    // Another build of the explorer made it: its figures may be computed differently.
    expect(new ListingStore(join(root, 'store-a'), 'code-2').load(location, stamps)).toBeNull()

    const cache = openCache({ home, graceMs: 0 })
    cache.remove({ references: ['localhost/solo:1'], force: false })
    cache.close()
    const after = store.stamps(location, later())!
    expect(after).not.toBe(stamps)
    expect(store.load(location, after)).toBeNull()
  })

  it('is missed after a commit by msb, and after a file is renamed into a content folder', () => {
    const location = locateCache({ home })
    const store = new ListingStore(join(root, 'store-b'), 'code-1')
    const before = store.stamps(location, later())!
    store.save(location, before, listingOf())

    // msb's own writes: a row (an image put in use) and a load that adds files and rows.
    markInUse(home, 'localhost/web:1', { name: 'web-runner', status: 'Running' })
    expect(store.load(location, store.stamps(location, later())!)).toBeNull()
    // Read once more, as a run would (a read may checkpoint msb's log), then kept and found again.
    const listing = listingOf()
    const afterRow = store.stamps(location, later())!
    store.save(location, afterRow, listing)
    expect(store.load(location, store.stamps(location, later())!)).toEqual(listing)

    // A layer file msb renames into place, with no row yet: its folder changed, and so do the figures.
    const part = join(location.cacheDir, 'layers', 'incoming.part')
    writeFileSync(part, 'x')
    renameSync(part, join(location.cacheDir, 'layers', `${'e'.repeat(64)}.erofs`))
    expect(store.load(location, store.stamps(location, later())!)).toBeNull()

    buildCache(home, [{ reference: 'localhost/late:1', image: smallImage('late', []) }])
    const loaded = store.stamps(location, later())!
    expect(store.load(location, loaded)).toBeNull()
  })

  it('is not kept when a stamped path changed within two ticks of the clock, nor when run from the sources', () => {
    const location = locateCache({ home })
    const changed = statSync(`${location.dbPath}-wal`, { bigint: true }).mtimeNs
    const store = new ListingStore(join(root, 'store-c'), 'code-1')
    expect(store.stamps(location, changed + 5_000_000n)).toBeNull()
    expect(store.stamps(location, changed + 25_000_000n)).not.toBeNull()
    // Here the code is TypeScript run by vitest: nothing can say it is the code that made a listing.
    expect(new ListingStore(join(root, 'store-c')).stamps(location, later())).toBeNull()
  })
})
