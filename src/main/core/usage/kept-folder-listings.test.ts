// A kept listing of a content folder stands in for listing it again only while the folder is provably the
// same: the whole-home view's numbers come from it.
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listDirectory } from './home-scan'
import { KeptFolderListings, keepListing } from './kept-folder-listings'

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

describe('kept folder listings', () => {
  it('give back the listing of an unchanged folder', () => {
    const listing = listAndKeep()
    expect(store.open(folder)).toEqual({ listing })
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
    expect(store.open(folder, nowNs())).toEqual({ listing })
  })

  it('are not used by other code (the identity of the bundle that listed them)', () => {
    listAndKeep()
    const other = new KeptFolderListings(join(root, 'kept'), 'code-2')
    expect(other.open(folder)).toHaveProperty('keep')
  })
})
