// A kept listing of a content folder stands in for listing it again only while the folder is provably the
// same: the whole-home view's numbers come from it.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listDirectory } from './home-scan'
import { KeptFolderListings, keepListing } from './kept-folder-listings'
import { ListingPrefetch } from './listing-prefetch'
import { STALE_PART_MS } from '../files/kept-file'

let root: string
let folder: string
let store: KeptFolderListings

const settle = () => new Promise((resolve) => setTimeout(resolve, 30))
/** Now, as the stamp reads it. */
const nowNs = () => BigInt(Date.now()) * 1_000_000n

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'ice-kept-folders-'))
  folder = join(root, 'layers')
  mkdirSync(folder)
  writeFileSync(join(folder, 'a.erofs'), 'a layer')
  store = new KeptFolderListings(join(root, 'kept'), 'code-1')
  await settle()
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** Lists the folder as the helper does and keeps it where `open` said; answers the listing. */
function listAndKeep(s = store) {
  const opened = s.open(folder)
  expect(opened).toHaveProperty('keep')
  const listing = listDirectory(folder)
  if ('keep' in opened && opened.keep) keepListing(opened.keep, listing)
  return listing
}

/** The listing `open` gives back as kept (read from its file), or what it said instead. */
function keptListing(opened: ReturnType<KeptFolderListings['open']>) {
  return 'kept' in opened ? opened.kept.read() : opened
}

describe('kept folder listings', () => {
  it('give back the listing of an unchanged folder', () => {
    const listing = listAndKeep()
    expect(keptListing(store.open(folder))).toEqual(listing)
  })

  it('are not used once a file was renamed into the folder, or one removed', async () => {
    listAndKeep()
    writeFileSync(join(root, 'b.part'), 'another layer')
    renameSync(join(root, 'b.part'), join(folder, 'b.erofs'))
    await settle()
    expect(store.open(folder)).toHaveProperty('keep')
    const listing = listAndKeep()
    expect(listing.names.sort()).toEqual(['a.erofs', 'b.erofs'])
    rmSync(join(folder, 'a.erofs'))
    await settle()
    expect(store.open(folder)).toHaveProperty('keep')
  })

  it('neither read nor keep a folder changed within two ticks of the coarse clock', () => {
    const listing = listAndKeep()
    const changedNs = statSync(folder, { bigint: true }).mtimeNs
    expect(store.open(folder, changedNs + 5_000_000n)).toEqual({ keep: null })
    expect(keptListing(store.open(folder, nowNs()))).toEqual(listing)
  })

  it('keep one file per folder: a listing kept under a newer stamp replaces the older one', async () => {
    listAndKeep()
    // And what a run killed while keeping the older one left.
    const [older] = readdirSync(join(root, 'kept'))
    const left = join(root, 'kept', `${older}.123.abc.part`)
    writeFileSync(left, 'half')
    const past = (Date.now() - STALE_PART_MS - 5_000) / 1000
    utimesSync(left, past, past)
    // And a listing kept before names carried the stamp.
    writeFileSync(join(root, 'kept', `${older.split('-')[0]}.v8`), 'format 1')
    writeFileSync(join(folder, 'b.erofs'), 'another layer')
    await settle()
    const listing = listAndKeep()
    expect(readdirSync(join(root, 'kept'))).toHaveLength(1)
    expect(keptListing(store.open(folder))).toEqual(listing)
  })

  it('are not used by other code (the identity of the bundle that listed them)', () => {
    listAndKeep()
    const other = new KeptFolderListings(join(root, 'kept'), 'code-2')
    expect(other.open(folder)).toHaveProperty('keep')
  })

  it('stand in for the stored sizes only while the folder is still as it was listed (listing-prefetch.ts)', async () => {
    const listing = listAndKeep()
    // Every folder kept: no helper thread is started, so none needs to exist here.
    const prefetch = ListingPrefetch.start([folder], store, 'no helper')!
    expect(prefetch.current(folder)).toEqual(listing)
    const later = ListingPrefetch.start([folder], store, 'no helper')!
    writeFileSync(join(root, 'b.part'), 'another layer')
    renameSync(join(root, 'b.part'), join(folder, 'b.erofs'))
    await settle()
    // Kept before the rename: still the whole-home walk's snapshot, but no longer the folder's sizes.
    expect(later.take(folder)).toEqual(listing)
    expect(later.current(folder)).toBeUndefined()
  })
})
