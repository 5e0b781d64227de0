// The helper thread of listing-prefetch.ts (built as out/main/listing-worker.js): lists the content folders it
// is given with their entries' lstat, as the usage's own walk does (home-scan.ts), from the last, each
// one the main thread has not taken meanwhile; posts each listing as soon as it is made and marks it sent
// in the shared state; then keeps what it listed where it was told to (kept-folder-listings.ts), off the
// main thread, which does not wait for that.
import { workerData } from 'node:worker_threads'
import { listDirectory, type Listing } from './home-scan'
import { type FolderKeep, keepListing } from './kept-folder-listings'
import { FAILED, FREE, LISTING, SENT, type Sent, type WorkerData } from './listing-prefetch'

const { folders, port, state } = workerData as WorkerData
const toKeep: [FolderKeep, Listing][] = []
for (let index = folders.length - 1; index >= 0; index--) {
  if (Atomics.compareExchange(state, index, FREE, LISTING) !== FREE) continue
  const { path, keep } = folders[index]
  let answer = FAILED
  try {
    const { names, info } = listDirectory(path, true)
    // A copy to keep: the sent buffer moves to the main thread.
    if (keep) toKeep.push([keep, { names, info: info.slice() }])
    const sent: Sent = { index, names, info }
    port.postMessage(sent, [info.buffer as ArrayBuffer])
    answer = SENT
  } catch {
    // The main thread lists it itself and meets the same error there.
  }
  Atomics.store(state, index, answer)
  Atomics.notify(state, index)
}
port.close()
for (const [keep, listing] of toKeep) keepListing(keep, listing)
