// The folders listed on a helper thread are shared with the thread that asks for them: one the helper has not
// begun is listed by the asker at once (a small cache's folders are, before the helper has even started), and
// kept as the helper would have kept it; one the helper listed is taken from what it sent, each by its own path.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { KeptFolderListings } from './kept-folder-listings'
import { FREE, LISTING, ListingPrefetch, SENT } from './listing-prefetch'

let root: string
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'ice-listing-prefetch-'))
  mkdirSync(join(root, 'layers'))
  mkdirSync(join(root, 'fsmeta'))
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

it('takes each folder the helper listed from what it sent', async () => {
  const folders = ['layers', 'fsmeta'].map((name) => join(root, name))
  // A helper that lists every folder before it is asked (as the built one does for a large cache), naming
  // each listing's one file after its folder so a mix-up shows.
  writeFileSync(
    join(root, 'quick-helper.mjs'),
    `import { writeFileSync } from 'node:fs'
import { workerData } from 'node:worker_threads'
const { folders, port, state } = workerData
for (let index = folders.length - 1; index >= 0; index--) {
  if (Atomics.compareExchange(state, index, ${FREE}, ${LISTING}) !== ${FREE}) continue
  const info = new Float64Array(6)
  info[0] = 1 // a regular file
  info[1] = 42
  port.postMessage({ index, names: [folders[index].path.split('/').pop() + '.listed'], info }, [info.buffer])
  Atomics.store(state, index, ${SENT})
  Atomics.notify(state, index)
}
writeFileSync(${JSON.stringify(join(root, 'helper-done'))}, '')
`
  )
  const kept = new KeptFolderListings(join(root, 'kept'), 'code-1')
  const prefetch = ListingPrefetch.start(folders, kept, join(root, 'quick-helper.mjs'))!
  while (!existsSync(join(root, 'helper-done'))) await new Promise((resolve) => setTimeout(resolve, 10))
  expect(prefetch.current(folders[0])?.names).toEqual(['layers.listed'])
  expect(prefetch.current(folders[1])?.names).toEqual(['fsmeta.listed'])
})
