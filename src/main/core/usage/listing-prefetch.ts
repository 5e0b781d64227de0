// The cache's content folders listed with every entry's lstat on a helper thread while the main thread
// reads the database and works out the figures: at 10,000 images that is ~38,000 lstat calls, ~40 % of
// `ice df`, which the whole-home view needs for allocated blocks (home-scan.ts). The walk then takes
// these listings instead of making them (FileTree); they are the same numbers, read a moment earlier,
// in the same usage.
//
// Only the built code starts the helper (out/main/listing-worker.js beside it): from the sources the
// helper would have to load TypeScript first, which costs more than it saves. Whatever goes wrong (no
// helper, an error, a helper slower than a generous wait) leaves the walk to list the folder itself.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { Listing } from './home-scan'

/** How long the walk waits for the helper before listing a folder itself. */
const WAIT_MS = 10_000

interface Sent {
  path: string
  names: string[] | null
  info: Float64Array | null
}

export class ListingPrefetch {
  private listings: Map<string, Listing> | null = null

  private constructor(
    private readonly port: MessagePort,
    private readonly done: Int32Array
  ) {}

  /** Starts listing `paths` on a helper thread; null where no built helper is at hand. */
  static start(paths: string[], workerPath = builtWorker()): ListingPrefetch | null {
    if (!workerPath || paths.length === 0) return null
    try {
      const { port1, port2 } = new MessageChannel()
      const done = new Int32Array(new SharedArrayBuffer(4))
      const worker = new Worker(workerPath, { workerData: { paths, port: port2, done }, transferList: [port2] })
      // It ends by itself once it has sent the listings; it never keeps the process alive.
      worker.unref()
      port1.unref()
      worker.on('error', () => undefined)
      return new ListingPrefetch(port1, done)
    } catch {
      return null
    }
  }

  /** The helper's listing of `path`, waiting for it to finish; undefined when it has none. */
  take(path: string): Listing | undefined {
    if (this.listings === null) {
      this.listings = new Map()
      if (Atomics.wait(this.done, 0, 0, WAIT_MS) !== 'timed-out' && Atomics.load(this.done, 0) === 1) {
        const sent = receiveMessageOnPort(this.port)?.message as Sent[] | undefined
        for (const l of sent ?? []) if (l.names && l.info) this.listings.set(l.path, { names: l.names, info: l.info })
      }
      this.port.close()
    }
    const listing = this.listings.get(path)
    // Taken once: a walk that asks again (it never does) lists the folder itself.
    this.listings.delete(path)
    return listing
  }
}

/** out/main/listing-worker.js, beside this code or one folder up (chunks); null when run from the sources. */
function builtWorker(): string | null {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.js')) return null
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const path = join(dir, 'listing-worker.js')
    if (existsSync(path)) return path
  }
  return null
}
