// Whether an msb may be working on this cache right now, so a removal knows whether its grace period
// (file-removal.ts) can protect anything. msb takes no lock a remover could wait on: a concurrent
// `msb load`/`pull` may find a file present (its lock-free fast path), then record rows for it a
// moment later. Between those two steps it opens the database, and from then on SQLite holds a
// POSIX lock on the database's `-shm` file for as long as the connection is open; it also takes the
// migration lock while opening, and stages downloads and archive layers in `cache/tmp`.
//
// So the signs are: a lock held by another process on a home's database files, or a file being
// written in `cache/tmp`. They are read once, a moment after the files are moved aside: an msb that
// opened the database earlier still holds it then (its pool stays open until it exits), and one that
// already wrote and exited left rows the removal reads next (file-removal.ts). With no sign, no msb
// can be between its check and its write, and waiting would only make every removal slow. Where the
// signs cannot be read (no /proc/locks: macOS, Windows) the removal waits. The window left is the one
// msb's own `image rm` always has: an msb that found a file and had not yet opened the database a
// moment after the file moved. An msb of a home the explorer was not told about shows none of these,
// so the msb processes working on the cache are a sign too, and a fetching one is waited for until it
// ends (msb-processes.ts): what it found, it has recorded by then.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { contentDirectory } from '../homes/cache-paths'
import { MsbCommands } from './msb-processes'
import { TRASH_DIR } from './removal-journal'

/**
 * A file in `cache/tmp` written this recently is msb staging an archive's layer or a download; an
 * older one is what a killed msb left (msb itself never cleans those up).
 */
const RECENT_STAGING_MS = 60_000
/**
 * How long after moving the files aside the signs are read, at least: an msb that found a file just
 * before the move opens the database next, after writing its image record. Traced (`strace -f` on
 * `msb load` of an image whose layers are cached, which slows msb down), its last layer check comes
 * 2 ms before it takes the migration lock and 5 ms before the database's own lock.
 */
const SETTLE_MS = 10

export interface WatchedCache {
  cacheDir: string
  /** Every home sharing the cache: `<home>/db/msb.db`. */
  dbPaths: string[]
}

export class ConcurrentMsb {
  constructor(
    private readonly watched: WatchedCache,
    private readonly readLocks: () => string | null = readProcLocks,
    private readonly pid = process.pid,
    readonly commands = new MsbCommands(watched.cacheDir)
  ) {}

  /** Why a concurrent msb may be at work, or null when nothing says so. */
  sign(now = Date.now()): string | null {
    return this.lockSign() ?? this.stagingSign(now) ?? this.commands.sign()
  }

  /**
   * A file msb is writing in `cache/tmp`: a layer staged from an archive or a download. Its lock files
   * stay there for good and the explorer's trash lives there too; neither says anything.
   */
  private stagingSign(now: number): string | null {
    const tmp = contentDirectory(this.watched.cacheDir, 'tmp')
    if (!tmp) return null
    let names: string[]
    try {
      names = readdirSync(tmp)
    } catch {
      return null
    }
    for (const name of names) {
      if (name === TRASH_DIR || name.endsWith('.lock')) continue
      const st = lstatSync(join(tmp, name), { throwIfNoEntry: false })
      if (st && now - st.mtimeMs < RECENT_STAGING_MS) return `msb is writing cache/tmp/${name}`
    }
    return null
  }

  private lockSign(): string | null {
    const locks = this.readLocks()
    if (locks === null) return 'this system does not show who holds file locks'
    const inodes = new Set<string>()
    for (const dbPath of this.watched.dbPaths) {
      for (const suffix of ['', '-shm', '-wal', '.migration.lock']) {
        const st = statSync(dbPath + suffix, { throwIfNoEntry: false, bigint: true })
        if (st) inodes.add(String(st.ino))
      }
    }
    for (const lock of parseLocks(locks)) {
      // Only the inode is compared: a match on another device is merely a wait for nothing.
      if (lock.pid !== this.pid && inodes.has(lock.inode)) return 'another process has the msb database open'
    }
    return null
  }
}

/**
 * Whether a removal must wait its grace period: asked once its files are aside. `always` waits
 * whatever the signs say.
 *
 * The kernel shows /proc/locks only after synchronising its CPUs (10–15 ms here), and what it shows
 * is the locks as they are once that is done. So the first read is the settling time too: only when
 * it came back sooner than SETTLE_MS after the move is the rest slept and the signs read again.
 */
export function graceNeeded(watch: ConcurrentMsb, always = false): () => boolean {
  return () => {
    if (always) return true
    const movedAt = performance.now()
    // A fetching msb on this cache may have found a file just before it moved: once it ended, it recorded it.
    if (watch.commands.waitForFetches(sleep)) return true
    for (;;) {
      if (watch.sign() !== null) return true
      const waited = performance.now() - movedAt
      if (waited >= SETTLE_MS) return false
      sleep(SETTLE_MS - waited)
    }
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))
export function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}

export interface HeldLock {
  pid: number
  inode: string
}

/**
 * The lines of /proc/locks, e.g. `1: POSIX  ADVISORY  READ 1046 fe:00:5816679 128 128` (an OFD lock
 * shows pid -1; a waiter's line has `->` after the number).
 */
export function parseLocks(text: string): HeldLock[] {
  const out: HeldLock[] = []
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/)
    const at = fields.findIndex((f) => /^[0-9a-f]+:[0-9a-f]+:\d+$/.test(f))
    if (at < 1) continue
    out.push({ pid: Number(fields[at - 1]), inode: fields[at].split(':')[2] })
  }
  return out
}

function readProcLocks(): string | null {
  try {
    return readFileSync('/proc/locks', 'utf8')
  } catch {
    return null
  }
}
