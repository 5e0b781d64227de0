// The helper thread of listing-prefetch.ts (built as out/main/listing-worker.js): lists the folders it
// is given with every entry's lstat, exactly as the usage's own walk does (home-scan.ts), sends the
// listings back on its port and says it is done through the shared flag.
import { type MessagePort, workerData } from 'node:worker_threads'
import { listDirectory } from './home-scan'

const { paths, port, done } = workerData as { paths: string[]; port: MessagePort; done: Int32Array }
try {
  const listings = paths.map((path) => {
    try {
      const { names, info } = listDirectory(path)
      return { path, names, info }
    } catch {
      // The walk lists it itself and meets the same error there.
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
