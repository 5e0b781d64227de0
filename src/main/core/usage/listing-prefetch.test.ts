// The folders listed on a helper thread are shared with the thread that asks for them: one the helper has not
// begun is listed by the asker at once (a small cache's folders are, before the helper has even started), and
// kept as the helper would have kept it.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { KeptFolderListings } from './kept-folder-listings'
import { ListingPrefetch } from './listing-prefetch'

let root: string
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'ice-listing-prefetch-'))
  mkdirSync(join(root, 'layers'))
  writeFileSync(join(root, 'layers', 'a.erofs'), 'a layer')
  // A helper that starts but never lists: the built one may not have begun when a folder is asked for.
  writeFileSync(join(root, 'idle-helper.mjs'), 'setTimeout(() => {}, 60_000)\n')
  await new Promise((resolve) => setTimeout(resolve, 30))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

it('lists a folder the helper has not begun on the thread that asks, and keeps it', () => {
  const folder = join(root, 'layers')
  const kept = new KeptFolderListings(join(root, 'kept'), 'code-1')
  const prefetch = ListingPrefetch.start([folder], kept, join(root, 'idle-helper.mjs'))!
  // Waiting for the helper would wait for ever (then give up after 10 s with nothing).
  expect(prefetch.current(folder)?.names).toEqual(['a.erofs'])
  expect(readdirSync(join(root, 'kept'))).toHaveLength(1)
})
