// Deleting cache files without ever losing one that is still needed.
//
// Rows go first (one committed transaction); files after. Before the commit, a journal listing the
// files is written and fsynced in `tmp/explorer-trash/<id>/`. After the commit each file is moved into
// that folder, then, after a short grace period, the database is read afresh: a file that a concurrent
// `msb load`/`pull` has started to use again is put back, the rest are unlinked. A crash at any point
// leaves either rows and files together, or a journal that the next write operation finishes
// (`recoverInterrupted`), so a killed process never leaves a row pointing at a missing file and never
// leaves garbage that prune cannot find.
//
// Paths come only from validated digests or keys; every directory on the way is checked with lstat,
// and a symlink is moved or unlinked itself, never followed.
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync
} from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { FileKind } from '../../shared/contract'
import { CONTENT_DIRS, type ContentDir } from './cache-files'
import { digestFileStem } from './digest'
import { metadataKey } from './reference-key'

export const TRASH_DIR = 'explorer-trash'

/** Test hook (crash-safety.test.ts): dies uncleanly here when `EXPLORER_CRASH_AT` names this point; a no-op otherwise. */
export const crashPoint = (name: string): void =>
  void (process.env.EXPLORER_CRASH_AT === name && process.kill(process.pid, 'SIGKILL'))
const JOURNAL = 'journal.json'

/** A file scheduled for deletion. `path` is relative to the cache dir, `dir/name`. */
export interface DoomedFile {
  kind: FileKind
  path: string
  /** Lock files msb removes together with this file (relative paths). */
  locks: string[]
  /**
   * Its size as the plan measured it inside the transaction (content files are immutable, so the size
   * cannot have changed); saves a second lstat per file. Measured here when absent.
   */
  bytes?: number
}

export interface FileOutcome {
  path: string
  kind: FileKind
  /** Bytes freed (0 for a symlink). */
  bytes: number
  removed: boolean
  /** Why it was not removed, when it wasn't. */
  skipped?: string
}

const STEM = /^(sha256_[a-f0-9]{64}|[a-f0-9]{64})$/
const NAME_RULES: Record<ContentDir, RegExp> = {
  layers: /^sha256_[a-f0-9]{64}\.erofs(\.lock)?$/,
  fsmeta: /^sha256_[a-f0-9]{64}\.erofs(\.lock)?$/,
  vmdk: /^sha256_[a-f0-9]{64}\.vmdk(\.lock)?$/,
  manifests: /^[a-f0-9]{64}\.(json|lock)$/
}

/** Checks a relative path is one the explorer may ever delete: `<content dir>/<digest-named file>`. */
export function isDeletablePath(path: string): boolean {
  const parts = path.split('/')
  if (parts.length !== 2) return false
  const [dir, name] = parts
  return Object.prototype.hasOwnProperty.call(NAME_RULES, dir) && NAME_RULES[dir as ContentDir].test(name)
}

/** A real directory inside the cache (not a symlink to somewhere else), created if missing. */
function realDir(path: string, create: boolean): boolean {
  try {
    const st = lstatSync(path)
    return st.isDirectory()
  } catch {
    if (!create) return false
    mkdirSync(path, { recursive: false, mode: 0o700 })
    return lstatSync(path).isDirectory()
  }
}

export class FileRemoval {
  readonly id: string
  readonly dir: string

  private constructor(
    private readonly cacheDir: string,
    id: string
  ) {
    this.id = id
    this.dir = join(cacheDir, 'tmp', TRASH_DIR, id)
  }

  /** Writes and fsyncs the journal; call inside the write transaction, before COMMIT. */
  static begin(cacheDir: string, files: DoomedFile[]): FileRemoval {
    const id = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`
    const removal = new FileRemoval(cacheDir, id)
    const tmp = join(cacheDir, 'tmp')
    if (!realDir(cacheDir, false) || !realDir(tmp, true) || !realDir(join(tmp, TRASH_DIR), true)) {
      throw new Error(`the cache's tmp directory is missing or is a symlink; refusing to remove files`)
    }
    mkdirSync(removal.dir, { mode: 0o700 })
    const safe = files.filter((f) => isDeletablePath(f.path))
    writeDurably(join(removal.dir, JOURNAL), JSON.stringify({ version: 1, files: safe }))
    return removal
  }

  /**
   * After COMMIT: moves every file aside, waits `graceMs` for a concurrent msb to record a file it
   * reuses, re-reads the database, puts back what is used again, and unlinks the rest.
   */
  finish(files: DoomedFile[], db: Database.Database, graceMs: number): FileOutcome[] {
    const outcomes: FileOutcome[] = []
    const aside: { file: DoomedFile; asidePath: string; bytes: number; outcome: FileOutcome }[] = []
    // Each content directory is checked once per call (a prune of everything moves tens of thousands of files).
    const dirOk = new Map<string, boolean>()
    const isRealDir = (dir: string) => {
      let ok = dirOk.get(dir)
      if (ok === undefined) dirOk.set(dir, (ok = realDir(join(this.cacheDir, dir), false)))
      return ok
    }
    for (const file of files) {
      const outcome: FileOutcome = { path: file.path, kind: file.kind, bytes: 0, removed: false }
      outcomes.push(outcome)
      if (!isDeletablePath(file.path)) {
        outcome.skipped = 'not a cache file name'
        continue
      }
      const [dir] = file.path.split('/')
      if (!isRealDir(dir)) {
        outcome.skipped = `${dir}/ is missing or is a symlink`
        continue
      }
      const from = join(this.cacheDir, file.path)
      let bytes = file.bytes
      if (bytes === undefined) {
        const st = lstatSync(from, { throwIfNoEntry: false })
        if (!st) {
          outcome.skipped = 'already gone'
          continue
        }
        bytes = st.isFile() ? st.size : 0
      }
      const asidePath = join(this.dir, file.path.replace('/', '__'))
      try {
        renameSync(from, asidePath)
      } catch (error) {
        outcome.skipped =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'already gone'
            : `could not move it aside: ${(error as Error).message}`
        continue
      }
      aside.push({ file, asidePath, bytes, outcome })
      crashPoint('mid-move')
    }
    crashPoint('after-move')
    if (aside.length > 0 && graceMs > 0) sleep(graceMs)
    const stillUsed = usedNames(db)
    for (const { file, asidePath, bytes, outcome } of aside) {
      if (stillUsed(file.path)) {
        restore(asidePath, join(this.cacheDir, file.path))
        outcome.skipped = 'used again by a concurrent msb; put back'
        continue
      }
      try {
        unlinkSync(asidePath)
        outcome.removed = true
        outcome.bytes = bytes
        crashPoint('mid-unlink')
      } catch (error) {
        outcome.skipped = `could not unlink: ${(error as Error).message}`
      }
      for (const lock of file.locks) unlinkQuietly(this.cacheDir, lock)
    }
    this.close()
    return outcomes
  }

  /** Forgets the journal (after `finish`, or when the transaction rolled back). */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }

  /**
   * Finishes removals a killed process left behind: every file moved aside goes back, then those no row
   * still references go the normal way.
   * Returns what it reclaimed. Safe to run at any time; every write operation runs it first.
   */
  static recoverInterrupted(cacheDir: string, db: Database.Database, graceMs = 0): FileOutcome[] {
    const trash = join(cacheDir, 'tmp', TRASH_DIR)
    if (!realDir(join(cacheDir, 'tmp'), false) || !realDir(trash, false)) return []
    const outcomes: FileOutcome[] = []
    for (const id of readdirSync(trash)) {
      // A removal whose process still runs is not interrupted: it may be inside its transaction or its
      // grace period (another explorer window, the CLI). Touching its journal would race with it.
      if (writerAlive(id)) continue
      const removal = new FileRemoval(cacheDir, id)
      if (!realDir(removal.dir, false)) continue
      let files: DoomedFile[] = []
      try {
        const journal = JSON.parse(readFileSync(join(removal.dir, JOURNAL), 'utf8')) as { files?: DoomedFile[] }
        files = (journal.files ?? []).filter((f) => isDeletablePath(f.path))
      } catch {
        // No complete journal: the process died before its transaction could commit; nothing was moved.
      }
      const stillUsed = usedNames(db)
      // Every file already moved aside goes back first; the ones no row uses then take the normal
      // removal path below (moved aside again, deleted after the grace period).
      for (const f of files) {
        const asidePath = join(removal.dir, f.path.replace('/', '__'))
        if (!exists(asidePath)) continue
        restore(asidePath, join(cacheDir, f.path))
      }
      const doomed = files.filter((f) => !stillUsed(f.path))
      // With the same grace as a fresh removal: a concurrent msb may be about to record one of them.
      outcomes.push(...removal.finish(doomed, db, graceMs))
    }
    return outcomes
  }
}

/**
 * A predicate telling whether a cache file is still referenced by the database right now: a layer
 * file by a `layer` row, fsmeta/vmdk by a `manifest` row, a metadata file by any reference that
 * normalises to its key.
 */
function usedNames(db: Database.Database): (path: string) => boolean {
  const layers = new Set(
    (db.prepare('SELECT diff_id FROM layer').pluck().all() as string[]).map((d) => digestFileStem(d))
  )
  const manifests = new Set(
    (db.prepare('SELECT digest FROM manifest').pluck().all() as string[]).map((d) => digestFileStem(d))
  )
  let keys: Set<string | null> | null = null
  return (path: string) => {
    const [dir, name] = path.split('/')
    const stem = name.replace(/\.(erofs|vmdk|json)$/, '')
    if (!STEM.test(stem)) return true
    if (dir === 'layers') return layers.has(stem)
    if (dir === 'fsmeta' || dir === 'vmdk') return manifests.has(stem)
    if (dir === 'manifests') {
      keys ??= new Set((db.prepare('SELECT reference FROM image_ref').pluck().all() as string[]).map(metadataKey))
      return keys.has(stem)
    }
    return true
  }
}

/** Whether the process that wrote removal `<time>-<pid>-<random>` is still running (this one included). */
function writerAlive(id: string): boolean {
  const pid = Number(id.split('-')[1])
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Puts a moved file back unless something new already took its place (then the new one wins). */
function restore(asidePath: string, original: string): void {
  try {
    linkSync(asidePath, original)
  } catch {
    // EEXIST: a concurrent msb re-created the file; keep its copy.
  }
  unlinkQuietlyAbs(asidePath)
}

function unlinkQuietly(cacheDir: string, relative: string): void {
  if (!isDeletablePath(relative)) return
  unlinkQuietlyAbs(join(cacheDir, relative))
}

function unlinkQuietlyAbs(path: string): void {
  // Most lock files were never created; asking first is much cheaper than a thrown ENOENT.
  if (!lstatSync(path, { throwIfNoEntry: false })) return
  try {
    unlinkSync(path)
  } catch {
    // Gone in between.
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

function writeDurably(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  const dirFd = openSync(join(path, '..'), 'r')
  try {
    fsyncSync(dirFd)
  } finally {
    closeSync(dirFd)
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}

export const CONTENT_DIR_NAMES = Object.keys(CONTENT_DIRS) as ContentDir[]
