// A cache directory shared by several homes (each with its own msb.db) must never lose a file another
// home needs. msb lets a home put its cache anywhere (`paths.cache`), and several homes pointing at one
// directory store each immutable layer once; but no home's database knows the others' rows, so what
// looks unused from one home may be the only copy another home relies on (msb's own prune deletes it).
//
// The rule: the cache counts as shared when its root is not `<home>/cache` or when the user names other
// homes (`--also-home DIR`). In a shared cache a file goes only when it is provably unused: every named
// home's database is read and none refers to it. With no other home named nothing is provable, so rows
// go but every file stays, and the plan says so. A home whose own `<home>/cache` is the target of another
// home's `paths.cache` cannot be detected from its side: name the other home.
import { realpathSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { KeptFile } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import type { FileTarget } from './plan-files'
import { otherHomesUse } from '../files/file-use'
import type { ClaimedFiles } from '../files/unowned-metadata'
import { type CacheLocation, locateCache } from '../homes/home'

export interface Sharing {
  /** Whether other homes may use this cache. */
  shared: boolean
  /** The other homes the user named, located as msb locates them. */
  others: CacheLocation[]
}

export const UNSHARED: Sharing = { shared: false, others: [] }

export const SHARED_NOTE = 'kept: the cache is shared with other homes; name them to reclaim this'

/**
 * How `location`'s cache is shared, with the homes the user named. A named home whose cache is not this
 * cache is an error (conflicting `paths.cache`): it shares nothing, and the user meant something else.
 */
export function sharingOf(
  location: CacheLocation,
  alsoHomes: readonly string[] = [],
  env: NodeJS.ProcessEnv = {}
): Sharing {
  const ownCache = canonical(location.cacheDir)
  const others: CacheLocation[] = []
  for (const dir of alsoHomes) {
    // Each named home is read the way its own msb would read it: its own config.json, not ours.
    const other = locateCache({ home: dir, env: { HOME: env.HOME } })
    // Said without a flag: the window's "Another home sharing this cache" field gets the same words.
    if (other.problem)
      throw new CacheError('InvalidArgument', `cannot share this cache with ${dir}: ${other.problem}`, { home: dir })
    if (canonical(other.home) === canonical(location.home)) continue
    if (canonical(other.cacheDir) !== ownCache) {
      throw new CacheError(
        'InvalidArgument',
        `the home ${other.home} keeps its cache at ${other.cacheDir}, not at ${location.cacheDir}: its paths.cache conflicts with this home's, so it does not share this cache`,
        { home: other.home, cacheDir: other.cacheDir }
      )
    }
    if (!others.some((o) => canonical(o.home) === canonical(other.home))) others.push(other)
  }
  const elsewhere = ownCache !== canonical(join(location.home, 'cache'))
  return { shared: elsewhere || others.length > 0, others }
}

function canonical(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return resolve(path)
  }
}

/**
 * Splits a plan's files into those that may go and those another home may need. `own` files are
 * already unused in this home; here only the other homes are asked (their databases, read now).
 */
export function keepShared(
  targets: FileTarget[],
  sharing: Sharing,
  claimed: ClaimedFiles = new Map()
): { doomed: FileTarget[]; kept: KeptFile[] } {
  if (targets.length === 0 || (!sharing.shared && claimed.size === 0)) return { doomed: targets, kept: [] }
  // The most precise reason first: a named home that uses the file, then an image record that names it,
  // then a shared cache whose other homes are unknown.
  const homes = otherHomesUse(sharing.others)
  const doomed: FileTarget[] = []
  const kept: KeptFile[] = []
  for (const t of targets) {
    const users = homes.filter((h) => h.uses(t.path)).map((h) => h.home)
    const record = claimed.get(t.path)
    const reason =
      users.length > 0
        ? `kept: used by ${users.join(', ')}`
        : record
          ? claimedReason(record)
          : sharing.shared && sharing.others.length === 0
            ? SHARED_NOTE
            : null
    if (reason === null) doomed.push(t)
    else if (!t.lockOnly) kept.push(keptFile(t, reason, users))
  }
  return { doomed, kept }
}

function claimedReason(record: string): string {
  return `kept: named by ${record}, an image record no reference of this home owns (another home sharing the cache, or an unfinished pull)`
}

function keptFile(t: FileTarget, reason: string, homes: string[]): KeptFile {
  return { kind: t.kind, path: t.path, bytes: t.bytes, reason, homes }
}

/** The homes a removal re-checks before each unlink (its journal names them too). */
export function otherHomeDatabases(sharing: Sharing): { home: string; dbPath: string }[] {
  return sharing.others.map((o) => ({ home: o.home, dbPath: o.dbPath }))
}
