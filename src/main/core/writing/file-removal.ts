// Deleting cache files without ever losing one that is still needed.
//
// Rows go first (one committed transaction); files after. Before the commit, a journal listing the
// files is written (removal-journal.ts). After the commit each file is moved aside, then, after a short
// grace period, the databases are read afresh: a file that a concurrent `msb load`/`pull` — in this
// home or in another home sharing the cache — has started to use again is put back, the rest are
// unlinked. Outcomes say what really happened to each file: bytes count only for files unlinked here.
//
// Paths come only from validated digests or keys (cache-paths.ts); content folders are resolved the
// way msb resolves them, and a symlink inside them is moved or unlinked itself, never followed.
import { randomBytes } from 'node:crypto'
import { linkSync, lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type Database from 'better-sqlite3'
import type { FileKind } from '../../../shared/contract'
import { contentDirectory, describeMissingDirectory, isDeletablePath, resolveDirectory } from '../homes/cache-paths'
import { sleep } from './concurrent-msb'
import { LiveClaims } from './live-claims'
import { POOL_MIN, STALE, stampsOf, UNLINKED, unlinkRound } from './unlink-pool'
import { OwnerLock } from '../locks/owner-lock'
import type { ProgressReporter } from '../files/progress-reporter'
import { type DoomedFile, type HomeDatabase, ownerLockPath, TRASH_DIR, writeJournal } from './removal-journal'

export { TRASH_DIR, type DoomedFile } from './removal-journal'

/** Test hook (crash-safety.test.ts): dies uncleanly here when `EXPLORER_CRASH_AT` names this point; a no-op otherwise. */
export const crashPoint = (name: string): void =>
  void (process.env.EXPLORER_CRASH_AT === name && process.kill(process.pid, 'SIGKILL'))

export interface GracePeriod {
  ms: number
  /** Whether a concurrent msb may need it; asked once the files are aside (concurrent-msb.ts). */
  needed: () => boolean
  /** False when the connection's -wal or -shm was deleted under it (wal-files.ts): every file is put back. */
  sound?: () => boolean
  /**
   * Before the files move: lets the msb commands now fetching into the cache end first (msb-processes.ts),
   * so an msb reading a file it found is not left without it and its image is recorded before the claims
   * are asked.
   */
  beforeMove?: () => void
  /** Waits `ms` (a blocking sleep); tests inject one that ends when their concurrent step is done. */
  wait?: (ms: number) => void
}

export interface FileOutcome {
  path: string
  kind: FileKind
  /** Bytes freed (0 for a symlink, and for anything not unlinked here). */
  bytes: number
  removed: boolean
  /** Why it was not removed, when it wasn't. */
  skipped?: string
}

/** The trash folder of a cache, created when asked; null (with why) when tmp/ is unusable. */
export function trashDirectory(cacheDir: string, create: boolean): { path: string } | { why: string } {
  const tmp = contentDirectory(cacheDir, 'tmp') ?? (create ? makeDir(cacheDir, 'tmp') : null)
  if (!tmp) return { why: describeMissingDirectory(cacheDir, 'tmp') }
  const trash = join(tmp, TRASH_DIR)
  const real = resolveDirectory(trash) === trash ? trash : create ? makeDir(tmp, TRASH_DIR) : null
  return real ? { path: real } : { why: `tmp/${TRASH_DIR} is missing or is not a directory` }
}

function makeDir(parent: string, name: string): string | null {
  const root = resolveDirectory(parent)
  if (!root) return null
  const path = join(root, name)
  try {
    mkdirSync(path, { mode: 0o700 })
  } catch {
    // Exists already (then it must be a real directory) or cannot be made.
  }
  return resolveDirectory(path) === path ? path : null
}

/**
 * The trash folder and the owner lock of removal `id`. Tried twice: a removal that just finished removes
 * the trash folder when it is empty (close), possibly between this one's mkdir and its lock.
 */
function lockInTrash(cacheDir: string, id: string): { trash: string; lock: OwnerLock } {
  for (let attempt = 0; ; attempt++) {
    const trash = trashDirectory(cacheDir, true)
    if (!('path' in trash)) throw new Error(`cannot journal the removal: ${trash.why}; nothing was changed`)
    try {
      return { trash: trash.path, lock: OwnerLock.acquire(ownerLockPath(trash.path, id)) }
    } catch (error) {
      if (attempt > 0) throw error
    }
  }
}

/** A file moved aside, waiting for its claims to be checked. */
interface AsideFile {
  file: DoomedFile
  asidePath: string
  original: string
  bytes: number
  outcome: FileOutcome
}

export class FileRemoval {
  readonly dir: string

  constructor(
    private readonly cacheDir: string,
    trash: string,
    readonly id: string,
    /** Other homes sharing this cache: a file one of them uses is put back, never unlinked. */
    private readonly otherHomes: HomeDatabase[],
    private readonly lock: OwnerLock
  ) {
    this.dir = join(trash, id)
  }

  /** Takes the owner lock, writes and fsyncs the journal; call inside the write transaction, before COMMIT. */
  static begin(
    cacheDir: string,
    files: DoomedFile[],
    homes: { own: HomeDatabase; others: HomeDatabase[] }
  ): FileRemoval {
    const id = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`
    // The lock first, then the folder: a journal folder without a held lock is always a dead writer's.
    // Twice at most: another removal that just finished may have removed the empty trash folder in between.
    const { trash, lock } = lockInTrash(cacheDir, id)
    const removal = new FileRemoval(cacheDir, trash, id, homes.others, lock)
    try {
      mkdirSync(removal.dir, { mode: 0o700 })
      writeJournal(removal.dir, { version: 2, homes: [homes.own, ...homes.others], files })
    } catch (error) {
      removal.close()
      throw error
    }
    return removal
  }

  /**
   * After COMMIT: moves every file aside, waits the grace period for a concurrent msb to record a file
   * it reuses (when one may be at work: concurrent-msb.ts), re-reads the databases, puts back what is
   * used again, and unlinks the rest.
   */
  finish(files: DoomedFile[], db: Database.Database, grace: GracePeriod, progress?: ProgressReporter): FileOutcome[] {
    const outcomes: FileOutcome[] = []
    const aside: AsideFile[] = []
    const gone: DoomedFile[] = []
    // Each content directory is resolved once per call (a prune of everything moves tens of thousands of files).
    const dirs = new Map<string, string | null>()
    const dirOf = (dir: string) => {
      if (!dirs.has(dir)) dirs.set(dir, contentDirectory(this.cacheDir, dir))
      return dirs.get(dir) ?? null
    }
    if (files.length > 0) grace.beforeMove?.()
    for (const file of files) {
      const outcome: FileOutcome = { path: file.path, kind: file.kind, bytes: 0, removed: false }
      if (!file.lockOnly) outcomes.push(outcome)
      if (!isDeletablePath(file.path)) {
        outcome.skipped = 'not a cache file name'
        continue
      }
      const [dir, name] = file.path.split('/')
      const real = dirOf(dir)
      if (!real) {
        outcome.skipped = describeMissingDirectory(this.cacheDir, dir)
        continue
      }
      const original = join(real, name)
      // The plan's size (content files never change) spares an lstat per file: the move says whether it is there.
      let bytes = file.lockOnly ? undefined : file.bytes
      if (bytes === undefined) {
        const st = lstatSync(original, { throwIfNoEntry: false })
        if (!st) {
          outcome.skipped = 'already gone'
          gone.push(file)
          continue
        }
        bytes = file.bytes ?? (st.isFile() ? st.size : 0)
      }
      const asidePath = this.moveAside(original, file.path, real, outcome)
      if (!asidePath) {
        if (outcome.skipped === 'already gone') gone.push(file)
        continue
      }
      aside.push({ file, asidePath, original, bytes, outcome })
      progress?.moved()
      crashPoint('mid-move')
    }
    crashPoint('after-move')
    if (aside.length > 0 && grace.ms > 0 && grace.needed()) {
      progress?.phase('waiting')
      ;(grace.wait ?? sleep)(grace.ms)
    }
    progress?.phase('removing')
    // Every claim is asked again right before each unlink, not once for all (live-claims.ts, unlink-pool.ts).
    const claims = new LiveClaims(db, this.otherHomes, this.cacheDir, [...aside.map((a) => a.file), ...gone])
    // The re-read went through a -wal another program deleted meanwhile: msb's latest rows may be elsewhere.
    const unsound = grace.sound?.() === false
    try {
      this.unlinkUnclaimed(aside, gone, unsound, claims, dirOf, progress)
    } finally {
      claims.close()
    }
    this.close()
    return outcomes
  }

  private unlinkUnclaimed(
    aside: AsideFile[],
    gone: DoomedFile[],
    unsound: boolean,
    claims: LiveClaims,
    dirOf: (dir: string) => string | null,
    progress?: ProgressReporter
  ): void {
    const stillUsed = (path: string) => claims.claimed(path)
    const locksAfter: DoomedFile[] = []
    const putBack = (a: AsideFile, why: string) => {
      restore(a.asidePath, a.original)
      a.outcome.skipped = why
    }
    const unlinked = (a: AsideFile) => {
      a.outcome.removed = true
      progress?.removed(a.bytes)
      a.outcome.bytes = a.bytes
      crashPoint('mid-unlink')
      locksAfter.push(a.file)
    }
    const failed = (a: AsideFile, message: string) => {
      a.outcome.skipped = `could not unlink: ${message}`
      locksAfter.push(a.file)
    }
    /** Checks one file and unlinks it at once when nothing claims it. */
    const oneByOne = (a: AsideFile) => {
      if (stillUsed(a.file.path)) return putBack(a, 'used again by a concurrent msb; put back')
      try {
        unlinkSync(a.asidePath)
      } catch (error) {
        return failed(a, (error as Error).message)
      }
      unlinked(a)
    }
    if (unsound) {
      for (const a of aside) putBack(a, "the database's -wal or -shm was deleted meanwhile; put back")
    } else {
      // Rounds: the claim sources stamped, every file checked, then unlinked on helper threads that unlink
      // only while the stamps hold (unlink-pool.ts); a file a helper did not unlink is checked again. While
      // a stamp is too fresh to trust, or for a few files, one by one: each checked right before its unlink.
      let queue = aside
      while (queue.length > 0) {
        const sources = claims.sources()
        const stamps = queue.length >= POOL_MIN ? stampsOf(sources) : null
        if (!stamps) {
          oneByOne(queue[0])
          queue = queue.slice(1)
          continue
        }
        const round: AsideFile[] = []
        // Read once, after the stamps: the helpers hold the round to them (live-claims.ts, asOfNow).
        const claimedNow = claims.asOfNow()
        for (const a of queue) {
          if (claimedNow(a.file.path)) putBack(a, 'used again by a concurrent msb; put back')
          else round.push(a)
        }
        const again: AsideFile[] = []
        unlinkRound(
          round.map((a) => a.asidePath),
          sources,
          stamps,
          (i, { answer, error }) => {
            const a = round[i]
            if (answer === UNLINKED) unlinked(a)
            else if (answer === STALE) again.push(a)
            else failed(a, error ?? 'unknown error')
          }
        )
        // A claim source changed before any file went: the next one goes one by one, so each round makes headway.
        if (again.length === round.length && again.length > 0) {
          oneByOne(again[0])
          again.shift()
        }
        queue = again
      }
    }
    // msb unlinks the lock files of a deleted row even when the file itself was already missing.
    for (const file of gone) if (!unsound && !stillUsed(file.path)) locksAfter.push(file)
    // The lock files go once every file was checked and unlinked: unlinking `manifests/<key>.lock` changes
    // the folder whose changes make each check read the image records again (live-claims.ts), and in a
    // prune of 10,000 images that re-read ~20,000 names before almost every unlink.
    this.unlinkLocks(locksAfter, dirOf)
  }

  /** Forgets the journal and releases the lock (after `finish`, or when the transaction rolled back). */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true })
    this.lock.release()
    // No empty tmp/explorer-trash/ is left behind; a folder another removal still uses is not empty.
    try {
      rmdirSync(dirname(this.dir))
    } catch {
      // Not empty (another removal at work) or already gone.
    }
  }

  /** Where a file of this removal waits: the trash, or beside itself when the trash is on another disk. */
  asidePaths(path: string, realDir: string | null): string[] {
    const [, name] = path.split('/')
    const paths = [join(this.dir, path.replace('/', '__'))]
    if (realDir) paths.push(join(realDir, `.${name}.${this.id}.removing`))
    return paths
  }

  private moveAside(original: string, path: string, realDir: string, outcome: FileOutcome): string | null {
    const [inTrash, beside] = this.asidePaths(path, realDir)
    for (const target of [inTrash, beside]) {
      try {
        renameSync(original, target)
        return target
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        // A content folder moved to another disk: rename cannot cross it, so the file waits beside itself.
        if (code === 'EXDEV' && target === inTrash) continue
        outcome.skipped = code === 'ENOENT' ? 'already gone' : `could not move it aside: ${(error as Error).message}`
        return null
      }
    }
    return null
  }

  /** Lock files, not content: nothing claims them, so many go on the helpers at once with no stamp to keep. */
  private unlinkLocks(files: DoomedFile[], dirOf: (dir: string) => string | null): void {
    const paths: string[] = []
    for (const file of files) {
      for (const lock of file.locks) {
        if (!isDeletablePath(lock)) continue
        const [dir, name] = lock.split('/')
        const real = dirOf(dir)
        if (real) paths.push(join(real, name))
      }
    }
    // Most were never made: the helpers ask for each first (no thrown ENOENT), off this thread. A lock file gone
    // in between, or one that cannot be unlinked, is left as it is.
    if (paths.length >= POOL_MIN) unlinkRound(paths, [], [], () => undefined, { ifPresent: true })
    else for (const path of paths) if (lstatSync(path, { throwIfNoEntry: false })) unlinkQuietly(path)
  }
}

/** Puts a moved file back unless something new already took its place (then the new one wins). */
export function restore(asidePath: string, original: string): void {
  try {
    linkSync(asidePath, original)
  } catch {
    // EEXIST: a concurrent msb re-created the file; keep its copy.
  }
  unlinkQuietly(asidePath)
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Gone in between.
  }
}
