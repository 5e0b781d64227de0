// The one way the explorer changes a cache: a single short `BEGIN IMMEDIATE` transaction that
// re-decides what to delete from the latest committed state, deletes rows with a guard on each, and
// journals the files; then the files, outside the transaction (see file-removal.ts).
import type Database from 'better-sqlite3'
import { CacheError } from '../../../shared/errors'
import { CacheFiles } from '../files/cache-files'
import { ConcurrentMsb, graceNeeded, sleep } from './concurrent-msb'
import { type CacheState, readCacheState } from '../database/cache-state'
import { immediateTransaction, openWriteConnection, toCacheError } from '../database/database'
import { indexState, type Indexes, type RowDecision } from '../planning/deletion-plan'
import { crashPoint, FileRemoval, type FileOutcome, type GracePeriod } from './file-removal'
import type { CacheLocation } from '../homes/home'
import { type FileTarget, filesOf } from '../planning/plan-files'
import { recoverInterrupted } from './removal-recovery'
import { recoverMsbJournals } from '../files/msb-deletion-journals'
import { keepShared, otherHomeDatabases, type Sharing, UNSHARED } from '../planning/shared-cache'
import { claimsOfRecords, unownedClaims } from '../files/unowned-metadata'
import { readdirSync } from 'node:fs'
import { contentDirectory } from '../homes/cache-paths'
import { RecordOwnership } from './record-owners'
import type { ProgressReporter } from '../files/progress-reporter'
import { isWritableSchema, readSchemaState } from '../database/schema'
import { RemovalLeases } from './removal-leases'
import { isHeldLockDescriptor } from '../locks/flock'
import { doneKeys } from '../planning/plan-restriction'
import { type LineRules, rulesOfLine } from '../../../shared/msb-versions'
import type { SchemaLine } from '../../../shared/contract'
import { nowDbTime } from '../database/timestamps'
import { deletedSideFilesHeld, refuseDeletedSideFiles, sideFileIds, sideFilesGone } from '../database/wal-files'

export interface WriteOptions {
  /** How long moved-aside files wait for a concurrent msb to claim them again, when one may be at work. */
  graceMs: number
  /** Wait the grace period even when nothing says an msb is at work (concurrent-msb.ts). */
  graceAlways?: boolean
  /** How the grace period is waited (GracePeriod.wait); a blocking sleep by default. */
  graceWait?: (ms: number) => void
  busyTimeoutMs?: number
  /** How long a write waits for msb's install lease before refusing (LEASE_WAIT_MS by default). */
  leaseWaitMs?: number
  /** At most this many storage leases a batch (EXPLORER_LEASE_BATCH by default). */
  leaseBatch?: number
  /** Other homes sharing the cache: files they use are kept (shared-cache.ts). */
  sharing?: Sharing
  /** Told when the files are known and as they are moved and removed. */
  progress?: ProgressReporter
  /**
   * A file leased by a running msb: `refuse` fails the whole write with ImageInUse before anything changes
   * (remove), `skip` leaves that group and counts it (prune). Default skip.
   */
  busy?: 'refuse' | 'skip'
  /**
   * What the decision reads, inside the transaction: the whole state by default; a remove reads only
   * what its images touch (touched-state.ts), so removing one image costs in proportion to it.
   */
  read?: (db: Database.Database, step: WriteStep) => { state: CacheState; ix: Indexes }
}

export interface Decided {
  decision: RowDecision
  differences: string[]
  /** The file paths an approved plan listed: no other file is deleted. */
  allowedFiles?: ReadonlySet<string>
}

export interface WriteOutcome {
  /** The rows actually deleted. */
  decision: RowDecision
  files: FileOutcome[]
  /** Files a killed earlier run left, finished now. */
  recovered: FileOutcome[]
  differences: string[]
  /** Groups left because a running msb holds a lease on one of their files (msb 0.7.3+'s `skipped_in_use`). */
  skippedInUse: number
  /** The home's msb line rules the write followed. */
  rules: LineRules
}

/** Which batch of a write is deciding (leases come in batches of 48: removal-leases.ts). */
export interface WriteStep {
  batch: number
  /** The rows earlier batches deleted (plan-restriction.ts doneKeys). */
  done: ReadonlySet<string>
}

export type WriteDecide = (state: CacheState, ix: Indexes, files: CacheFiles, step: WriteStep) => Decided

export function runWrite(location: CacheLocation, options: WriteOptions, decide: WriteDecide): WriteOutcome {
  const db = openWriteConnection(location.dbPath, options.busyTimeoutMs)
  const leases = new RemovalLeases(location.cacheDir, options.leaseBatch)
  try {
    const leaseDeadline = Date.now() + (options.leaseWaitMs ?? LEASE_WAIT_MS)
    const rules = rulesOfLine(refuseUnsafe(db, leaseDeadline))
    // The connection now has the -wal and -shm open: they must stay the files at those paths until the files go.
    const sides = sideFileIds(location.dbPath)
    refuseDeletedSideFiles(location.dbPath, sides, 'nothing was changed')
    const sharing = options.sharing ?? UNSHARED
    const others = otherHomeDatabases(sharing)
    const watch = new ConcurrentMsb({
      cacheDir: location.cacheDir,
      dbPaths: [location.dbPath, ...others.map((h) => h.dbPath)]
    })
    const grace = {
      ms: options.graceMs,
      needed: graceNeeded(watch, options.graceAlways),
      beforeMove: () => void watch.commands.waitForFetches(sleep),
      wait: options.graceWait,
      sound: () =>
        sideFileIds(location.dbPath) === sides &&
        (deletedSideFilesHeld(location.dbPath, isHeldLockDescriptor) ?? []).length === 0
    }
    // msb's own journals first, as every msb rm and prune does (msb-deletion-journals.ts), then ours.
    const msbJournals = recoverMsbJournals(location.cacheDir, db)
    const msbRecovered = msbJournals.removed.map((r) => journalOutcome(r.path, r.bytes))
    const recovered = [...msbRecovered, ...recoverInterrupted(location.cacheDir, db, grace)]
    const read = options.read ?? readWholeState
    const total: WriteOutcome = {
      decision: { refs: [], manifests: [], layers: [], kept: [], heldBy: [], strays: [] },
      files: [],
      recovered,
      differences: [],
      skippedInUse: 0,
      rules
    }
    // Decided once, from one read; each batch then takes the next leased groups of what is left and, inside its
    // transaction, re-decides from a fresh read only when another connection committed since the decision
    // (PRAGMA data_version; the rows deleted here are re-checked one by one as before). Re-reading and re-deciding
    // the whole cache in each of a prune's batches was quadratic.
    const done = new Set<string>()
    const step0 = { batch: 0, done }
    const basis = db.transaction(() => decideFrom(db, read, decide, step0, location.cacheDir))()
    let remaining = basis.decided.decision
    // A write removes at most what it decided at its start: a fresh decision only drops what msb started to
    // use meanwhile. Rows msb added while it runs (an image loaded during a prune) are left for the next
    // one: msb 0.7.3+'s prune takes them batch after batch, so a steady stream of loads can keep it going.
    const first = rowIds(basis.decided.decision)
    total.differences.push(...basis.decided.differences)
    leases.prepare(remaining, basis.state)
    for (let batch = 0; ; batch++) {
      // Sizes the files it deletes one lstat each, instead of scanning the whole cache (see CacheFiles).
      const files = new CacheFiles(location.cacheDir, { perFile: true })
      // Before BEGIN IMMEDIATE: the leases of what this batch would delete, never waiting (removal-leases.ts).
      const step = { batch, done }
      const leased = leases.acquire(remaining, basis.state)
      if (options.busy === 'refuse' && leases.firstBusy) throw inUseByMsb(leases.firstBusy)
      const result = writeBatch(db, location, options, {
        step,
        files,
        leases,
        sharing,
        others,
        grace,
        read,
        decide,
        sides,
        basis,
        leased
      })
      leases.release()
      // After a fresh decision, what is left is that decision without this batch's rows.
      remaining = result.redecided
        ? without(within(result.redecided, first), result.decision)
        : without(remaining, leased)
      for (const key of doneKeys(result.decision)) done.add(key)
      const t = total.decision
      for (const r of result.decision.refs) t.refs.push(r)
      for (const m of result.decision.manifests) t.manifests.push(m)
      for (const l of result.decision.layers) t.layers.push(l)
      for (const f of result.decision.strays) t.strays.push(f)
      if (batch === 0) total.decision = { ...t, kept: result.decision.kept, heldBy: result.decision.heldBy }
      for (const f of result.files) total.files.push(f)
      total.differences.push(...result.differences)
      // From the second batch on, the records' owners are counted here (record-owners.ts); a write of one batch,
      // such as removing one image, never hashes every reference of the home.
      if (basis.owners) basis.owners.drop(result.decision.refs)
      else if (leases.more) {
        basis.owners = new RecordOwnership(basis.state)
        // The state is the decision's (then every deleted reference is gone), or this batch's fresh one.
        basis.owners.drop(result.redecided ? result.decision.refs : total.decision.refs)
      }
      const tried = leased.refs.length + leased.manifests.length + leased.layers.length + leased.strays.length
      if (!leases.more || (tried === 0 && !result.redecided)) break
    }
    total.differences = [...new Set(total.differences)]
    total.skippedInUse = leases.skippedInUse
    options.progress?.phase('done')
    for (const j of msbJournals.left) total.differences.push(`msb deletion journal ${j.name} left as it is: ${j.why}`)
    return total
  } catch (error) {
    throw toCacheError(error, location.dbPath)
  } finally {
    leases.release()
    db.close()
  }
}

interface Batch {
  /** The database's side files when the write began (sideFileIds): they must stay those files. */
  sides: ReturnType<typeof sideFileIds>
  step: WriteStep
  files: CacheFiles
  leases: RemovalLeases
  sharing: Sharing
  others: ReturnType<typeof otherHomeDatabases>
  grace: GracePeriod
  read: NonNullable<WriteOptions['read']>
  decide: WriteDecide
  /** What the write decided, and from which state (updated when a batch had to decide again). */
  basis: Basis
  /** The rows of the basis whose leases this batch holds. */
  leased: RowDecision
}

/** A decision, the state it was made from, and that state's PRAGMA data_version. */
interface Basis {
  state: CacheState
  ix: Indexes
  decided: Decided
  version: number
  /** Built after the first batch: null while the state's own references say who owns each record. */
  owners: RecordOwnership | null
}

function dataVersion(db: Database.Database): number {
  return db.pragma('data_version', { simple: true }) as number
}

/** Reads and decides; call inside a transaction so the version is that of the state read. */
function decideFrom(
  db: Database.Database,
  read: NonNullable<WriteOptions['read']>,
  decide: WriteDecide,
  step: WriteStep,
  cacheDir: string
): Basis {
  const version = dataVersion(db)
  const { state, ix } = read(db, step)
  const decided = decide(state, ix, new CacheFiles(cacheDir, { perFile: true }), step)
  return { state, ix, decided, version, owners: null }
}

interface RowIds {
  refs: Set<number>
  manifests: Set<number>
  layers: Set<number>
  strays: Set<string>
}

function rowIds(d: RowDecision): RowIds {
  return {
    refs: new Set(d.refs.map((r) => r.id)),
    manifests: new Set(d.manifests.map((m) => m.id)),
    layers: new Set(d.layers.map((l) => l.id)),
    strays: new Set(d.strays.map((f) => f.path))
  }
}

/** `decision` with only the rows of `ids` (the write's first decision). */
function within(decision: RowDecision, ids: RowIds): RowDecision {
  return {
    ...decision,
    refs: decision.refs.filter((r) => ids.refs.has(r.id)),
    manifests: decision.manifests.filter((m) => ids.manifests.has(m.id)),
    layers: decision.layers.filter((l) => ids.layers.has(l.id)),
    strays: decision.strays.filter((f) => ids.strays.has(f.path))
  }
}

/** `decision` without the rows of `taken` (a batch's, deleted or tried). */
function without(decision: RowDecision, taken: RowDecision): RowDecision {
  const refs = new Set(taken.refs.map((r) => r.id))
  const manifests = new Set(taken.manifests.map((m) => m.id))
  const layers = new Set(taken.layers.map((l) => l.id))
  const strays = new Set(taken.strays.map((f) => f.path))
  return {
    ...decision,
    refs: refs.size ? decision.refs.filter((r) => !refs.has(r.id)) : decision.refs,
    manifests: manifests.size ? decision.manifests.filter((m) => !manifests.has(m.id)) : decision.manifests,
    layers: layers.size ? decision.layers.filter((l) => !layers.has(l.id)) : decision.layers,
    strays: strays.size ? decision.strays.filter((f) => !strays.has(f.path)) : decision.strays
  }
}

/** One batch: rows in one short BEGIN IMMEDIATE transaction, limited to the leased groups; then the files. */
function writeBatch(
  db: Database.Database,
  location: CacheLocation,
  options: WriteOptions,
  b: Batch
): { decision: RowDecision; files: FileOutcome[]; differences: string[]; redecided: RowDecision | null } {
  const leaseDeadline = Date.now() + (options.leaseWaitMs ?? LEASE_WAIT_MS)
  let removal: FileRemoval | null = null
  let targets: FileTarget[] = []
  let outcome: { decision: RowDecision; differences: string[] }
  let redecided: RowDecision | null = null
  for (;;) {
    try {
      outcome = immediateTransaction(db, () => {
        // Again under the write lock: msb takes the lease with a write, so it cannot slip in between.
        refuseUnsafe(db)
        redecided = null
        let basis = b.basis
        let leased = b.leased
        const differences: string[] = []
        if (dataVersion(db) !== basis.version) {
          // Another connection committed since the decision: decide again from what is there now.
          const fresh = decideFrom(db, b.read, b.decide, b.step, location.cacheDir)
          Object.assign(b.basis, fresh)
          basis = b.basis
          leased = fresh.decided.decision
          redecided = leased
          differences.push(...fresh.decided.differences)
        }
        const { state } = basis
        const allowedFiles = basis.decided.allowedFiles
        const actual = deleteRows(db, b.leases.restrict(leased, state), differences)
        const owners = basis.owners?.keptBesides(actual.refs)
        const planned = [...filesOf(actual, state, b.files, owners), ...actual.strays.map((s) => ({ ...s, locks: [] }))]
        const claimed = basis.owners
          ? claimsOfRecordsIn(location.cacheDir, basis.owners.owns)
          : unownedClaims(state, location.cacheDir)
        targets = keepShared(onlyAllowed(planned, allowedFiles, differences), b.sharing, claimed).doomed
        // No files, no journal: a cache whose database exists but whose cache/ msb never created has nothing to move.
        removal =
          targets.length > 0
            ? FileRemoval.begin(location.cacheDir, targets, {
                own: { home: location.home, dbPath: location.dbPath },
                others: b.others
              })
            : null
        crashPoint('before-commit')
        // Never commit into a log another program deleted: msb would not see the rows go, yet the files would.
        refuseDeletedSideFiles(location.dbPath, b.sides, 'nothing was changed', isHeldLockDescriptor)
        return { decision: actual, differences }
      })
      break
    } catch (error) {
      ;(removal as FileRemoval | null)?.close()
      removal = null
      // The lease was taken between the check and BEGIN: wait for it outside the transaction.
      if (isLeaseRefusal(error) && Date.now() < leaseDeadline) {
        refuseUnsafe(db, leaseDeadline)
        continue
      }
      throw error
    }
  }
  crashPoint('after-commit')
  if (
    sideFileIds(location.dbPath) !== b.sides ||
    (deletedSideFilesHeld(location.dbPath, isHeldLockDescriptor) ?? []).length > 0
  ) {
    // Deleted between the check and COMMIT: the rows may not have reached the file msb reads. Keep every file; if the
    // rows did go, prune finds the files unreferenced later.
    ;(removal as FileRemoval | null)?.close()
    throw sideFilesGone(location.dbPath, 'the removal may not have reached the database, so no file was deleted')
  }
  options.progress?.planned(targets)
  const fileOutcomes = (removal as FileRemoval | null)?.finish(targets, db, b.grace, options.progress) ?? []
  for (const f of fileOutcomes) {
    if (f.skipped && f.skipped !== 'already gone') outcome.differences.push(`${f.path}: ${f.skipped}`)
  }
  return { ...outcome, files: fileOutcomes, redecided }
}

/** The image records no reference of this home owns, and the files they name (unowned-metadata.ts). */
function claimsOfRecordsIn(cacheDir: string, owns: (name: string) => boolean): ReadonlyMap<string, string> {
  const dir = contentDirectory(cacheDir, 'manifests')
  if (!dir) return new Map()
  try {
    return claimsOfRecords(owns, dir, readdirSync(dir))
  } catch {
    return new Map()
  }
}

/** msb 0.7.3+'s refusal of a remove whose files a running msb reads or publishes (cleanup.rs @3129f858). */
function inUseByMsb(entries: string[]): CacheError {
  const names = entries.map((p) => p.split(/[\\/]/).slice(-2).join('/'))
  return new CacheError(
    'ImageInUse',
    `image in use: active storage operation (a running msb holds the lease on ${names.join(', ')}); nothing was changed`,
    { activeStorageOperation: names }
  )
}

const JOURNAL_KINDS: Record<string, FileOutcome['kind']> = {
  layers: 'layer',
  fsmeta: 'fsmeta',
  vmdk: 'vmdk',
  manifests: 'metadata'
}

function journalOutcome(path: string, bytes: number): FileOutcome {
  return { path, kind: JOURNAL_KINDS[path.split('/')[0]] ?? 'other', bytes, removed: true }
}

function readWholeState(db: Database.Database): { state: CacheState; ix: Indexes } {
  const state = readCacheState(db)
  return { state, ix: indexState(state) }
}

/** Files the approved plan did not list stay, and the report says so. */
function onlyAllowed(
  targets: FileTarget[],
  allowed: ReadonlySet<string> | undefined,
  differences: string[]
): FileTarget[] {
  if (!allowed) return targets
  return targets.filter((t) => {
    if (t.lockOnly || allowed.has(t.path)) return true
    differences.push(`file ${t.path} was not in the preview; left in place`)
    return false
  })
}

/**
 * How long a write waits for msb's `install_exclusive` lease before refusing. Every msb command takes
 * that lease for a moment while it opens the database (connect_and_migrate, with a 30-minute expiry it
 * clears at once); a real install or upgrade holds it for much longer.
 */
const LEASE_WAIT_MS = 2000

/** Unknown schema, or msb installing itself (after waiting until `waitUntil`): change nothing. Answers the line. */
function refuseUnsafe(db: Database.Database, waitUntil = 0): SchemaLine {
  const schema = readSchemaState(db)
  if (!isWritableSchema(schema)) {
    throw new CacheError(
      'SchemaUnsupported',
      `refusing to change the cache: ${schema.kind === 'unknown' ? schema.reason : 'no database'}`,
      { schema }
    )
  }
  for (;;) {
    const lease = leaseHeldUntil(db)
    if (!lease) return schema.kind === 'missing' ? '0.6' : schema.line
    if (Date.now() >= waitUntil) {
      throw new CacheError(
        'Busy',
        `microsandbox install operation in progress until ${lease}; retry after it completes (nothing was changed)`,
        { leaseExpiresAt: lease }
      )
    }
    Atomics.wait(pause, 0, 0, 25)
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))

function isLeaseRefusal(error: unknown): boolean {
  return (
    error instanceof CacheError &&
    error.code === 'Busy' &&
    (error.details as { leaseExpiresAt?: string } | undefined)?.leaseExpiresAt !== undefined
  )
}

/** msb's `install_exclusive` lease, if held now (times are naive UTC text, compared as text like msb). */
export function leaseHeldUntil(db: Database.Database): string | null {
  const row = db
    .prepare(`SELECT lease_expires_at AS until FROM maintenance_lease WHERE name = 'install_exclusive'`)
    .get() as { until: string } | undefined
  if (!row) return null
  return normalizeTime(row.until) > nowDbTime() ? row.until : null
}

/** msb takes the install lease for 30 minutes (and clears it when done). */
const LEASE_TTL_MS = 30 * 60 * 1000

/**
 * The lease as the window should show it: only a lease held for longer than a write would wait for
 * it, so the passing lease every msb command takes while opening the database does not make the
 * explorer flicker to read-only.
 */
export function leaseHeldSteadily(db: Database.Database, now = Date.now()): string | null {
  const until = leaseHeldUntil(db)
  if (!until) return null
  const expires = Date.parse(`${normalizeTime(until).replace(' ', 'T')}Z`)
  if (Number.isNaN(expires)) return until
  const acquired = expires - LEASE_TTL_MS
  return now - acquired > LEASE_WAIT_MS ? until : null
}

function normalizeTime(text: string): string {
  return String(text)
    .replace('T', ' ')
    .replace(/Z$|\+00:00$/, '')
}

/**
 * Deletes the decided rows, re-checking each manifest and layer first: a manifest that still has a
 * reference or a sandbox pin, or a layer still used by a manifest, is left alone. This is what makes
 * a cascade (manifest → its references, config and layer links) impossible to trigger by mistake.
 */
function deleteRows(db: Database.Database, decision: RowDecision, differences: string[]): RowDecision {
  const deleteRef = db.prepare('DELETE FROM image_ref WHERE id = ?')
  const deleteManifest = db.prepare('DELETE FROM manifest WHERE id = ?')
  const deleteLayer = db.prepare('DELETE FROM layer WHERE id = ?')
  const refs = decision.refs.filter((r) => deleteRef.run(r.id).changes === 1)
  // One query per check for the whole set: msb's tables have no index on these columns, so a count
  // per row would scan them once per manifest or layer (100 references took ~0.1 s of scans).
  const manifestIds = decision.manifests.map((m) => m.id)
  const stillHeld = idsIn(
    db,
    `WITH ids AS (SELECT value FROM json_each(?))
     SELECT manifest_id FROM image_ref WHERE manifest_id IN ids
     UNION SELECT manifest_id FROM sandbox_rootfs WHERE manifest_id IN ids`,
    manifestIds
  )
  const manifests = decision.manifests.filter((m) => {
    if (stillHeld.has(m.id)) {
      differences.push(`manifest ${m.digest} is still referenced or pinned; kept`)
      return false
    }
    return deleteManifest.run(m.id).changes === 1
  })
  const stillLinked = idsIn(
    db,
    'SELECT DISTINCT layer_id FROM manifest_layer WHERE layer_id IN (SELECT value FROM json_each(?))',
    decision.layers.map((l) => l.id)
  )
  const layers = decision.layers.filter((l) => !stillLinked.has(l.id) && deleteLayer.run(l.id).changes === 1)
  return { ...decision, refs, manifests, layers }
}

function idsIn(db: Database.Database, sql: string, ids: number[]): Set<number> {
  if (ids.length === 0) return new Set()
  return new Set(db.prepare(sql).pluck().all(JSON.stringify(ids)) as number[])
}
