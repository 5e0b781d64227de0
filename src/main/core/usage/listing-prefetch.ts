// The cache's content folders listed with every entry's lstat on a helper thread while the main thread
// reads the database and works out the figures: at 10,000 images that is ~38,000 lstat calls, ~40 % of
// `ice df`, which the whole-home view needs for allocated blocks (home-scan.ts). The walk then takes
// these listings instead of making them (FileTree); they are the same numbers, read a moment earlier,
// in the same usage.
//
// Only the built code starts the helper (out/main/listing-worker.js beside it): from the sources the
// helper would have to load TypeScript first, which costs more than it saves. Whatever goes wrong (no
// helper, an error, a helper slower than a generous wait) leaves the walk to list the folder itself.
// A folder unchanged since a listing was kept (kept-folder-listings.ts) is not listed at all, and when
// every folder is, no helper is started. The stored sizes of a folder that changed take its listing too
// (`current`), so one run lstat-s each entry once, on the helper.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { Listing } from './home-scan'
import type { FolderKeep, KeptFolderListings, KeptListing } from './kept-folder-listings'
import { folderStamp } from '../files/folder-stamp'

/** How long the walk waits for the helper before listing a folder itself. */
const WAIT_MS = 10_000

interface Sent {
  path: string
  names: string[] | null
  info: Float64Array | null
}

/** What the helper is given: the folders to list, and where to keep each listing (null: not kept). */
export interface WorkerData {
  folders: { path: string; keep: FolderKeep | null }[]
  port: MessagePort
  done: Int32Array
}

export class ListingPrefetch {
  /** Whether the helper's listings were taken in (or given up on). */
  private received = false

  private constructor(
    /** Listings at hand: the helper's, once received, and kept ones, once read. */
    private readonly listings: Map<string, Listing>,
    /** Listings kept under the folder's stamp when this started, not read yet. */
    private readonly kept: Map<string, KeptListing>,
    /** Each folder's stamp taken before its listing was made (none for a folder too young to trust). */
    private readonly stamps: Map<string, string>,
    private readonly helper: { worker: Worker; port: MessagePort; done: Int32Array; keeps: boolean } | null
  ) {}

  /**
   * Starts listing `paths` on a helper thread, but for those `kept` holds unchanged; null where no built
   * helper is at hand (then nothing is kept either: only the built code keeps listings).
   */
  static start(paths: string[], kept: KeptFolderListings | null, workerPath = builtWorker()): ListingPrefetch | null {
    if (!workerPath || paths.length === 0) return null
    const keptListings = new Map<string, KeptListing>()
    const stamps = new Map<string, string>()
    const folders: WorkerData['folders'] = []
    for (const path of paths) {
      const opened = kept?.open(path) ?? { keep: null }
      if ('kept' in opened) {
        keptListings.set(path, opened.kept)
        stamps.set(path, opened.kept.stamp)
        continue
      }
      folders.push({ path, keep: opened.keep })
      if (opened.keep) stamps.set(path, opened.keep.stamp)
    }
    const none = () => new ListingPrefetch(new Map(), keptListings, stamps, null)
    if (folders.length === 0) return none()
    try {
      const { port1, port2 } = new MessageChannel()
      const done = new Int32Array(new SharedArrayBuffer(4))
      const workerData: WorkerData = { folders, port: port2, done }
      const worker = new Worker(workerPath, { workerData, transferList: [port2] })
      // It ends by itself once it has sent (and kept) the listings. Until they are received it never keeps
      // the process alive; then, if it is keeping any, the process waits for it (no half-written file).
      worker.unref()
      port1.unref()
      worker.on('error', () => undefined)
      const keeps = folders.some((f) => f.keep !== null)
      return new ListingPrefetch(new Map(), keptListings, stamps, { worker, port: port1, done, keeps })
    } catch {
      return keptListings.size ? none() : null
    }
  }

  /** The listing of `path`, kept or the helper's (waiting for it to finish); undefined when there is none. */
  take(path: string): Listing | undefined {
    const known = this.listings.get(path)
    if (known) return known
    const kept = this.kept.get(path)
    if (kept) {
      this.kept.delete(path)
      const listing = kept.read()
      // A kept file gone or unreadable meanwhile: the folder is listed by whoever asked.
      if (listing) this.listings.set(path, listing)
      else this.stamps.delete(path)
      return listing ?? undefined
    }
    if (!this.received) this.receive()
    return this.listings.get(path)
  }

  /**
   * The listing of `path` when it is the folder as it is now: stamped before it was listed, with that stamp
   * still the folder's. The stored sizes take it instead of an lstat of every entry (cache-files.ts).
   */
  current(path: string): Listing | undefined {
    const listing = this.stamps.has(path) ? this.take(path) : undefined
    const stamp = this.stamps.get(path)
    return listing && stamp !== undefined && folderStamp(path) === stamp ? listing : undefined
  }

  private receive(): void {
    this.received = true
    if (!this.helper) return
    const { worker, port, done, keeps } = this.helper
    if (Atomics.wait(done, 0, 0, WAIT_MS) !== 'timed-out' && Atomics.load(done, 0) === 1) {
      const sent = receiveMessageOnPort(port)?.message as Sent[] | undefined
      for (const l of sent ?? []) if (l.names && l.info) this.listings.set(l.path, { names: l.names, info: l.info })
      if (keeps) worker.ref()
    }
    port.close()
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
