// msb's storage leases (0.7.7+): one lock file per directory entry, beside it in `.msb-leases/`.
// Readers and publishers hold it shared; deleters only try it exclusive and never wait, so taking
// many cannot deadlock. Source: crates/image/lib/storage_lease.rs @a9ba0957 (`open`, `try_exclusive`,
// `shared`). On homes of older msb nobody else takes them, and they cost one small file per entry.
//
// Lease files are stable inodes other msb processes lock: nothing in the explorer deletes them.
import { hash } from 'node:crypto'
import { lstatSync, mkdirSync, realpathSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { CREATE_FLAGS, type HeldLock, tryLockFile } from './flock'

/** The folder msb keeps an entry's lease in, beside the entry. */
export const LEASE_FOLDER = '.msb-leases'

/** The lease file of the entry at `entryPath`: `realpath(dirname)/.msb-leases/<sha256(basename)>.lock`. */
export function leaseFileOf(entryPath: string): string {
  return join(realpathSync(dirname(entryPath)), LEASE_FOLDER, `${leaseKey(entryPath)}.lock`)
}

function openLeaseFolder(leaseFile: string): void {
  makeLeaseFolder(dirname(leaseFile))
}

function makeLeaseFolder(folder: string): void {
  try {
    mkdirSync(folder)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  // msb refuses a lease folder that is a symlink ("not a real directory"): so do we.
  if (!lstatSync(folder).isDirectory()) throw new Error(`${folder} is not a real directory`)
}

/**
 * A deleter's lease on `entryPath`: exclusive, never waiting. Null when a running msb (a reader,
 * a publisher or another deleter) holds it: the entry is in use.
 *
 * `folders` (entry folder → its lease folder) lets a removal that takes hundreds of leases in a few folders
 * resolve and make each lease folder once; a lease folder removed meanwhile is made again.
 */
export function tryExclusiveLease(entryPath: string, folders?: Map<string, string>): HeldLock | null {
  if (!folders) {
    const file = leaseFileOf(entryPath)
    openLeaseFolder(file)
    return tryLockFile(file, 'exclusive')
  }
  return inLeaseFolder(entryPath, folders, (file) => tryLockFile(file, 'exclusive'))
}

/**
 * Makes the missing lease files of `entryPaths` on a helper thread, none opened that exists (CREATE_FLAGS), while
 * this thread goes on. A removal of thousands of entries starts this before it deletes anything:
 * on an ext4 without a journal, making a file looks past every inode freed in the last minute or more
 * (`recently_deleted`), so lease files made batch after batch while earlier batches' files go cost ever more
 * (profiled on such a disk: a quarter of a 10,000-image prune's CPU); made here they cost what making them
 * later would, but on another core. Only a head start, never waited for by a removal: a file not made yet is
 * made (or its failure met) when its lease is taken, and two makers of one file both end with it made.
 * Answers a `wait()` for tests and for a caller that must know the files are there.
 */
export function createLeaseFiles(entryPaths: Iterable<string>, folders: Map<string, string>): { wait(): void } {
  const files: string[] = []
  try {
    // The folders are resolved (and made, and refused when a symlink) here, as for a lease taken here.
    for (const path of entryPaths) files.push(inLeaseFolder(path, folders, (file) => file))
  } catch {
    // Left to tryExclusiveLease, which meets the same error where it matters.
  }
  const done = new Int32Array(new SharedArrayBuffer(4))
  try {
    if (files.length > 0) leaseFileMaker().postMessage({ files, flags: CREATE_FLAGS, done })
    else done[0] = 1
  } catch {
    done[0] = 1
  }
  return {
    wait() {
      // A helper that stopped answers nothing: waited for a few seconds at most, as a head start is all it is.
      const until = Date.now() + MAKER_WAIT_MS
      while (Atomics.load(done, 0) === 0 && Date.now() < until) Atomics.wait(done, 0, 0, until - Date.now())
    }
  }
}

const MAKER_WAIT_MS = 10_000

/** The helper: make each file with the flags given (O_EXCL); an existing one is fine, any other error ends the list. */
const MAKER = `
const { parentPort } = require('node:worker_threads')
const { closeSync, openSync } = require('node:fs')
parentPort.on('message', ({ files, flags, done }) => {
  for (const file of files) {
    try {
      closeSync(openSync(file, flags, 0o600))
    } catch (error) {
      if (!error || error.code !== 'EEXIST') break
    }
  }
  Atomics.store(done, 0, 1)
  Atomics.notify(done, 0)
})
`

let maker: Worker | null = null

/** Started on first use, kept for the next removal, never keeping the process alive. */
function leaseFileMaker(): Worker {
  if (maker) return maker
  const worker = new Worker(MAKER, { eval: true })
  worker.unref()
  const forget = () => {
    if (maker === worker) maker = null
  }
  worker.on('error', forget)
  worker.on('exit', forget)
  maker = worker
  return worker
}

/** `use` on the lease file of `entryPath`, its lease folder resolved and made once per `folders`. */
function inLeaseFolder<T>(entryPath: string, folders: Map<string, string>, use: (file: string) => T): T {
  const dir = dirname(entryPath)
  let folder = folders.get(dir)
  if (folder === undefined) {
    folder = join(realpathSync(dir), LEASE_FOLDER)
    makeLeaseFolder(folder)
    folders.set(dir, folder)
  }
  const file = join(folder, `${leaseKey(entryPath)}.lock`)
  try {
    return use(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    // The lease folder was removed meanwhile: made again.
    makeLeaseFolder(folder)
    return use(file)
  }
}

function leaseKey(entryPath: string): string {
  // The one-shot hash makes no Hash object per call: a prune of everything names ~37,000 leases.
  return hash('sha256', basename(entryPath), 'hex')
}

/** A reader's lease on `entryPath` if it can be had now; null while a deleter holds it. */
export function trySharedLease(entryPath: string): HeldLock | null {
  const file = leaseFileOf(entryPath)
  openLeaseFolder(file)
  return tryLockFile(file, 'shared')
}

/**
 * Takes exclusive leases on every entry or none: on the first busy one, the ones taken are released
 * and its path is answered. Never waits (msb's deleters never do).
 */
export function tryExclusiveLeases(entryPaths: readonly string[]): { held: HeldLock[] } | { busy: string } {
  const held: HeldLock[] = []
  for (const path of entryPaths) {
    const lease = tryExclusiveLease(path)
    if (!lease) {
      for (const taken of held) taken.release()
      return { busy: path }
    }
    held.push(lease)
  }
  return { held }
}

/** Releases leases, last taken first. */
export function releaseAll(locks: readonly HeldLock[]): void {
  for (let i = locks.length - 1; i >= 0; i--) locks[i]?.release()
}
