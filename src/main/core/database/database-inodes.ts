// The files SQLite holds open in this process, by identity (device and inode), so that no other code
// opens them: closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
// included (issue 26). A path never tells for sure: a hard link under another name (a tampered layer
// file) is the same file. Noted by stat of the paths, which opens nothing.
//
// An inode is freed once no name and no descriptor holds it, and the file system gives it to the next
// new file: a -wal deleted at its last close, a test home or the demo home removed. A noted identity is
// therefore asked again when a file matches it: it still is a database file if it is still at the path it
// was noted at, or if this process still holds it open (SQLite keeps a file another program deleted).
// Otherwise it was freed and taken over (a layer msb wrote later), and the note is dropped.
import { readdirSync, statSync } from 'node:fs'
import { CacheError } from '../../../shared/errors'

/** Noted identities (`dev:ino`), each with the path it was noted at. */
const noted = new Map<string, string>()

type Identity = { dev: bigint; ino: bigint }
const identity = (st: Identity): string => `${st.dev}:${st.ino}`
const identityOf = (path: string): string | null => {
  const st = statSync(path, { throwIfNoEntry: false, bigint: true })
  return st ? identity(st) : null
}

/** Notes `dbPath` and its -wal and -shm, as they are now (call right after SQLite opened them). */
export function noteDatabaseFiles(dbPath: string): void {
  for (const path of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    const id = identityOf(path)
    if (id) noted.set(id, path)
  }
}

/** Whether `path` (followed, as an open would) is one of the noted files. Opens nothing. */
export function isDatabaseFile(path: string): boolean {
  const id = identityOf(path)
  const notedAt = id === null ? undefined : noted.get(id)
  if (id === null || notedAt === undefined) return false
  if (identityOf(notedAt) === id || heldOpen(id)) return true
  noted.delete(id)
  return false
}

/**
 * Whether a descriptor of this process is open on the file (its /proc/self/fd link, stat'ed: followed,
 * never opened). Where descriptors cannot be listed (no /proc), it is taken to be held.
 */
function heldOpen(id: string): boolean {
  let fds: string[]
  try {
    fds = readdirSync('/proc/self/fd')
  } catch {
    return true
  }
  return fds.some((fd) => identityOf(`/proc/self/fd/${fd}`) === id)
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
