// Which `-wal` and `-shm` files a connection to msb's database uses, and whether they are still the
// files at those paths. SQLite opens both by name once and keeps them: when another program deletes
// them (a user's `rm`, a tool that believed it was the last client), the connection goes on reading an
// index and a log nobody else sees, and a write would land in a file that no longer exists, while the
// files it then deletes are really gone. So a connection notes what it opened and is checked before use.
//
// Both checks open nothing: `stat` of a path (device and inode), and on Linux the kernel's own list of
// this process's descriptors and mappings (/proc/self/fd links, /proc/self/maps), where a deleted file
// shows as `path (deleted)`. Opening and closing the files with `fs` would drop SQLite's locks (issue 26).
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { CacheError } from '../../../shared/errors'

const SIDES = ['-wal', '-shm'] as const

/** `dev:ino` of the -wal and -shm at their paths now ('' for a missing one). */
export function sideFileIds(dbPath: string): string {
  return SIDES.map((side) => {
    const st = statSync(dbPath + side, { throwIfNoEntry: false, bigint: true })
    return st ? `${st.dev}:${st.ino}` : ''
  }).join('|')
}

/**
 * The side files of `dbPath` this process still has open or mapped after they were deleted, on Linux;
 * null where the system does not show it. SQLite shares one -shm mapping among all of a process's
 * connections to a database, so a fresh connection inherits a deleted one while any other is open.
 */
export function deletedSideFilesHeld(dbPath: string, notDatabase?: (fd: number) => boolean): string[] | null {
  let fds: string[]
  try {
    fds = readdirSync('/proc/self/fd')
  } catch {
    return null
  }
  let real: string
  try {
    real = join(realpathSync(dirname(dbPath)), basename(dbPath))
  } catch {
    return []
  }
  const wanted = new Set(SIDES.map((side) => `${real}${side} (deleted)`))
  const found = new Set<string>()
  for (const fd of fds) {
    // Descriptors the caller knows are no database's (a removal's thousand lease locks) are not read.
    if (notDatabase?.(Number(fd))) continue
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      if (wanted.has(target)) found.add(target)
    } catch {
      // Closed meanwhile (the listing's own descriptor, another thread's file).
    }
  }
  try {
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      for (const w of wanted) if (line.endsWith(` ${w}`)) found.add(w)
    }
  } catch {
    // No maps: the descriptors alone.
  }
  return [...found].map((t) => t.slice(0, -' (deleted)'.length))
}

/** Refuses to go on when a side file this process uses was deleted or replaced since `ids` were noted. */
export function refuseDeletedSideFiles(
  dbPath: string,
  ids: string,
  what: string,
  notDatabase?: (fd: number) => boolean
): void {
  const held = deletedSideFilesHeld(dbPath, notDatabase) ?? []
  if (held.length === 0 && sideFileIds(dbPath) === ids) return
  throw sideFilesGone(dbPath, what)
}

export function sideFilesGone(dbPath: string, what: string): CacheError {
  return new CacheError(
    'Busy',
    `${basename(dbPath)}-wal or -shm was deleted or replaced while the explorer had it open (another program removed it); ${what}; the explorer reopens the database, try again in a moment`,
    { sideFiles: 'replaced' }
  )
}
