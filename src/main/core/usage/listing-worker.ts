// The helper thread of listing-prefetch.ts (built as out/main/listing-worker.js): lists the folders it
// is given with every entry's lstat, exactly as the usage's own walk does (home-scan.ts), sends the
// listings back on its port and says it is done through the shared flag; then keeps each listing where
// it was told to (kept-folder-listings.ts), off the main thread, which does not wait for that.
import { workerData } from 'node:worker_threads'
import { listDirectory, type Listing } from './home-scan'
import { keepListing } from './kept-folder-listings'
import type { WorkerData } from './listing-prefetch'

const { folders, port, done } = workerData as WorkerData
const listed: (Listing | null)[] = []
try {
  const listings = folders.map(({ path }) => {
    try {
      const { names, info } = listDirectory(path)
      // A copy to keep: the sent buffer moves to the main thread.
      listed.push({ names, info: info.slice() })
      return { path, names, info }
    } catch {
      // The walk lists it itself and meets the same error there.
      listed.push(null)
      return { path, names: null, info: null }
    }
  })
  port.postMessage(
    listings,
    listings.flatMap((l) => (l.info ? [l.info.buffer as ArrayBuffer] : []))
  )
  Atomics.store(done, 0, 1)
} catch {
  Atomics.store(done, 0, 2)
} finally {
  Atomics.notify(done, 0)
  port.close()
}
for (const [i, { keep }] of folders.entries()) {
  const listing = listed[i]
  if (keep && listing) keepListing(keep, listing)
}
