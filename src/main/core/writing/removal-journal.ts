// The journal of a removal, and the recovery of one a killed process left behind.
//
// Before the transaction that deletes rows commits, the files it will delete are written and fsynced to
// `tmp/explorer-trash/<id>/journal.json`, with the homes whose databases decided they were unused. The
// removal holds `tmp/explorer-trash/<id>.owner` (an OwnerLock, which dies with its process) for its
// whole life. Whoever can take the lock of a journal finds its writer dead and finishes the job: files
// moved aside go back if any of those homes uses them again, the rest go. So a killed prune never
// leaves a row pointing at a missing file, nor garbage that prune cannot find, and the next run does
// not depend on how long the dead process stays a zombie.
//
// Why not msb's journal format (`cache/.image-deletions/`, msb 0.7.7+; msb-deletion-journals.ts), even on
// homes of msb 0.7.3 and later: the explorer's removal moves files aside and may put them back when a
// concurrent msb records them again (and asks every home sharing the cache), which msb's format cannot
// say; and a `delete-*` journal that msb would recover must hold exclusive leases and be hard links of
// exactly its four kinds of file. Keeping its own journal is safe beside msb at every point: msb's
// recovery reads only `.image-deletions/` (sdk/rust/lib/image/cleanup_journal.rs @05a0c70d), its
// rm/prune never enumerate `tmp/` (sdk/rust/lib/image/cleanup.rs @3129f858; its own tmp names are
// `*.part`, `*.download.lock`, `*.work`, crates/image/lib/cache/store.rs), so a killed explorer's
// journal and the files moved aside are left for the explorer's next write; rows always go first, so
// no msb ever sees a row whose file the explorer moved. msb-journal-interop.test.ts kills the explorer
// at every point beside a running msb journal and runs msb's recovery after it.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { FileKind } from '../../../shared/contract'
import { isDeletablePath } from '../homes/cache-paths'

export const TRASH_DIR = 'explorer-trash'
export const JOURNAL = 'journal.json'

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
  /** The file itself is already missing: only its lock files go (msb unlinks them regardless). */
  lockOnly?: boolean
  /**
   * A metadata file's: what every reference that could share it contains (the last component of its
   * name, which normalising never changes), so the check after the move reads only those references.
   */
  sharedBy?: string[]
}

/** A home whose database a removal consults before unlinking a file of a shared cache. */
export interface HomeDatabase {
  home: string
  dbPath: string
}

export interface Journal {
  version: 2
  /** Every home whose rows decided the files were unused (the writer's own first). */
  homes: HomeDatabase[]
  files: DoomedFile[]
}

export function ownerLockPath(trash: string, id: string): string {
  return join(trash, `${id}.owner`)
}

export function writeJournal(dir: string, journal: Journal): void {
  const safe = { ...journal, files: journal.files.filter((f) => isDeletablePath(f.path)) }
  writeDurably(join(dir, JOURNAL), JSON.stringify(safe))
}

/** The journal in `dir`, or null when its writer died before the journal was complete (nothing was moved then). */
export function readJournal(dir: string): Journal | null {
  try {
    const raw = JSON.parse(readFileSync(join(dir, JOURNAL), 'utf8')) as Partial<Journal> & { version?: number }
    const files = (Array.isArray(raw.files) ? raw.files : [])
      .filter((f) => isDeletablePath(f.path))
      // A hint that is not a list of names is dropped: the check then reads every reference.
      .map(({ sharedBy, ...f }) => (isNameList(sharedBy) ? { ...f, sharedBy } : f))
    const homes = Array.isArray(raw.homes)
      ? raw.homes.filter((h) => typeof h?.home === 'string' && typeof h?.dbPath === 'string')
      : []
    return { version: 2, homes, files }
  } catch {
    return null
  }
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0)
}

/** The removal ids in the trash: journal folders, and lock files a writer killed before its folder left. */
export function journalIds(trash: string): string[] {
  try {
    const ids = new Set<string>()
    for (const d of readdirSync(trash, { withFileTypes: true })) {
      if (d.isDirectory()) ids.add(d.name)
      else if (d.name.endsWith('.owner')) ids.add(d.name.slice(0, -'.owner'.length))
    }
    return [...ids]
  } catch {
    return []
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
