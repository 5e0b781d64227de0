// The files SQLite holds open in this process, by identity (device and inode), so that no other code
// opens them: closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
// included (issue 26). A path never tells for sure: a hard link under another name (a tampered layer
// file) is the same file. Noted by stat of the paths, which opens nothing; never forgotten (a stale entry
// only refuses a file that took over a freed inode, and the list stays a handful per database).
import { statSync } from 'node:fs'
import { CacheError } from '../../../shared/errors'

const inodes = new Set<string>()

/** Notes `dbPath` and its -wal and -shm, as they are now (call right after SQLite opened them). */
export function noteDatabaseFiles(dbPath: string): void {
  for (const path of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    const st = statSync(path, { throwIfNoEntry: false, bigint: true })
    if (st) inodes.add(`${st.dev}:${st.ino}`)
  }
}

/** Whether `path` (followed, as an open would) is one of the noted files. Opens nothing. */
export function isDatabaseFile(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false, bigint: true })
  return st !== undefined && inodes.has(`${st.dev}:${st.ino}`)
}

/** Refuses to open `path` with anything but SQLite when it is one of the noted files. Opens nothing itself. */
export function refuseDatabaseFile(path: string): void {
  if (isDatabaseFile(path)) {
    throw new CacheError(
      'Unsupported',
      `${path} is a SQLite database file the explorer has open (a hard link to it); it will not open it otherwise`
    )
  }
}
