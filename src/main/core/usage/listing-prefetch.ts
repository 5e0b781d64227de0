// The cache's content folders listed with their entries' lstat on a helper thread while the main thread
// reads the database and works out the figures: at 10,000 images that is ~28,000 lstat calls, ~40 % of
// `ice df`, which the whole-home view needs for allocated blocks (home-scan.ts). The walk then takes
// these listings instead of making them (FileTree); they are the same numbers, read a moment earlier,
// in the same usage.
//
// Only the built code starts the helper (out/main/listing-worker.js beside it): from the sources the
// helper would have to load TypeScript first, which costs more than it saves. Whatever goes wrong (no
// helper, an error, a helper slower than a generous wait) leaves the walk to list the folder itself.
// A folder unchanged since a listing was kept (kept-folder-listings.ts) is not listed at all, and when
// every folder is, no helper is started. The stored sizes of a folder that changed take its listing too
// (`current`), so one run lstat-s each entry once. A folder asked for before the helper began it is listed
// on this thread instead, since it would only wait: a small cache's folders are listed here before the
// helper has even started, and a large one's are shared, the helper taking them from the last.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { type Listing, listDirectory } from './home-scan'
import { type FolderKeep, type KeptFolderListings, type KeptListing, keepListing } from './kept-folder-listings'
import { folderStamp } from '../files/folder-stamp'

/** How long the walk waits for the helper before listing a folder itself. */
const WAIT_MS = 10_000

/**
 * Who lists each folder, one Int32 a folder shared with the helper: it takes a FREE folder by setting LISTING
 * and ends it SENT (its listing posted) or FAILED; this thread takes a FREE folder by setting OURS.
 */
export const FREE = 0
export const LISTING = 1
export const OURS = 2
export const SENT = 3
export const FAILED = 4

/** One folder's listing, posted by the helper as soon as it is made. */
export interface Sent {
  index: number
  names: string[]
  info: Float64Array
}

/** What the helper is given: the folders to list, where to keep each listing (null: not kept), who lists which. */
export interface WorkerData {
  folders: { path: string; keep: FolderKeep | null }[]
  port: MessagePort
  state: Int32Array
}

interface Helper {
  worker: Worker
  port: MessagePort
  state: Int32Array
  folders: WorkerData['folders']
  /** Whether the process waits for the helper: once a listing was asked of it, if it keeps any. */
  held: boolean
}

export class ListingPrefetch {
  private readonly listings = new Map<string, Listing>()

  private constructor(
    /** Listings kept under the folder's stamp when this started, not read yet. */
    private readonly kept: Map<string, KeptListing>,
    /** Each folder's stamp taken before its listing was made (none for a folder too young to trust). */
    private readonly stamps: Map<string, string>,
    private readonly helper: Helper | null
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
    const none = () => new ListingPrefetch(keptListings, stamps, null)
    if (folders.length === 0) return none()
    try {
      const { port1, port2 } = new MessageChannel()
      const state = new Int32Array(new SharedArrayBuffer(4 * folders.length))
      const workerData: WorkerData = { folders, port: port2, state }
      const worker = new Worker(workerPath, { workerData, transferList: [port2] })
      // It ends by itself once it has listed (and kept) the folders. Until a listing is asked of it, it never
      // keeps the process alive; then, if it is keeping any, the process waits for it (no half-written file).
      worker.unref()
      port1.unref()
      worker.on('error', () => undefined)
      return new ListingPrefetch(keptListings, stamps, { worker, port: port1, state, folders, held: false })
    } catch {
      return keptListings.size ? none() : null
    }
  }

  /**
   * The listing of `path`: kept, or the helper's (waiting for it), or, when the helper has not begun it yet,
   * made here meanwhile (this thread would only wait); undefined when there is none.
   */
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
    return this.fromHelper(path)
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

  private fromHelper(path: string): Listing | undefined {
    const helper = this.helper
    const index = helper ? helper.folders.findIndex((f) => f.path === path) : -1
    if (!helper || index < 0) return undefined
    const { state, folders } = helper
    if (Atomics.compareExchange(state, index, FREE, OURS) === FREE) {
      // Listed after the stamp taken at the start, like the helper's: the same rules hold for it. A small
      // cache is listed here whole before the helper has even started.
      let listing: Listing
      try {
        listing = listDirectory(path, true)
      } catch {
        return undefined // whoever asked lists it and meets the error itself
      }
      this.listings.set(path, listing)
      const keep = folders[index].keep
      if (keep) keepListing(keep, listing)
      return listing
    }
    if (!helper.held && folders.some((f) => f.keep !== null)) {
      helper.worker.ref()
      helper.held = true
    }
    const until = Date.now() + WAIT_MS
    while (Atomics.load(state, index) === LISTING && Date.now() < until) {
      Atomics.wait(state, index, LISTING, until - Date.now())
    }
    if (Atomics.load(state, index) !== SENT) return undefined
    for (let m = receiveMessageOnPort(helper.port); m; m = receiveMessageOnPort(helper.port)) {
      const sent = m.message as Sent
      this.listings.set(folders[sent.index].path, { names: sent.names, info: sent.info })
    }
    return this.listings.get(path)
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
