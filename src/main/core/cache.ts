// The cache core: the contract's operations over one microsandbox home, in plain Node (no Electron),
// so the desktop app, the HTTP server, the CLI, the benchmarks and the tests all run the same code.
//
// This class is the façade: each operation is a few lines that hand the work to the file that owns
// it: reads to read-side.ts and image-queries.ts, `status` to cache-status.ts, `usage` and `insight`
// to usage-report.ts, plans to planner.ts and deletion-plan.ts, writes to write-operation.ts (one
// short transaction, rows before files) and the plans shown to the user to approved-plans.ts. Which other
// homes share the cache (and so keep files) is shared-cache.ts.
import type {
  CacheStatus,
  CallableCacheApi,
  CallOptions,
  CacheUsage,
  DelegatedOutcome,
  DeletionPlan,
  FirstRows,
  FlatPlan,
  FlatReclaimResult,
  ImageDetail,
  ImageHandle,
  ImageFiles,
  ImageInsight,
  ImageUse,
  ImageHistory,
  BuildDate,
  PrunePlan,
  PruneResult,
  PruneScope,
  RemovePlan,
  RemoveResult,
  SelectionUsage
} from '../../shared/contract'
import { FIRST_ROWS } from '../../shared/contract'
import type Database from 'better-sqlite3'
import type { AppState } from '../../shared/app-state'
import { CacheError } from '../../shared/errors'
import { type ApprovedPlan, ApprovedPlans } from './planning/approved-plans'
import { CacheFiles } from './files/cache-files'
import { cacheRevision } from './files/cache-revision'
import { type CacheState, readCacheState } from './database/cache-state'
import { readSchemaState } from './database/schema'
import { readStatus } from './cache-status'
import {
  decideRemove,
  decideRemoveContinued,
  type Indexes,
  indexState,
  type RemovalScope,
  type RowDecision,
  scopeOf
} from './planning/deletion-plan'
import { type CacheLocation, type LocateOptions, locateCache } from './homes/home'
import { type StoredImageRow, type ImageQueries, toHandle } from './database/image-queries'
import { builtAtOf, imageHistory } from './usage/image-history'
import { readImageUses } from './planning/image-use'
import { readFirstRows } from './usage/first-rows'
import { ImageFilesReader } from './layer-files/image-files'
import { LayerStore } from './layer-files/layer-store'
import { restrictTo } from './planning/plan-restriction'
import { Planner } from './planning/planner'
import { compileRules } from './planning/retention-rules'
import { emptyReport, pruneReport, recoveryNotes } from './writing/prune-report'
import { type Sharing, sharingOf } from './planning/shared-cache'
import { ProgressReporter } from './files/progress-reporter'
import { buildDemo, type DemoBuilder } from './demo-switch'
import { ReadSide } from './database/read-side'
import { SizeStore } from './files/size-store'
import { readTouchedState } from './planning/touched-state'
import { cacheUsage, flatOf, imageInsight, selectionUsageOf } from './usage/usage-report'
import { artifactKey, reclaimFlat } from './writing/flat-reclaim'
import { metadataName } from './homes/file-names'
import {
  appliedMigrations,
  chooseMsb,
  delegatedArgs,
  type MsbBinary,
  needsMsb,
  pruneReportOf,
  refusedOrDone,
  removeResultOf,
  runDelegated
} from './writing/msb-delegation'
import {
  type Decided,
  runWrite,
  type WriteDecide,
  type WriteOptions,
  type WriteOutcome,
  type WriteStep
} from './writing/write-operation'

export interface CacheOptions extends LocateOptions {
  /** How long files moved aside wait for a concurrent msb to claim them again (ms), when one may be at work. */
  graceMs?: number
  /** Wait that long even when nothing says an msb is at work (tests of the put-back itself). */
  graceAlways?: boolean
  /** How the grace period is waited; a blocking sleep by default (tests end it when their step is done). */
  graceWait?: (ms: number) => void
  /** How long a write waits for msb's install lease to pass before refusing (2 s by default). */
  leaseWaitMs?: number
  /** Minimum age of an unreferenced file before a dangling prune takes it (ms). */
  strayMarginMs?: number
  busyTimeoutMs?: number
  /** Builds demo caches (`openDemo`); without one the status says no demo is available. */
  demo?: DemoBuilder
  /**
   * Where file sizes are kept between sessions (size-store.ts; `defaultSizeStoreDir()` for the
   * programs). Without it every new Cache measures every file once.
   */
  sizeStoreDir?: string
  /** Other homes whose caches are this cache (`--also-home`): their files are kept (shared-cache.ts). */
  alsoHomes?: string[]
}

type NoArgs = Record<string, never>
const NO_ARGS: NoArgs = {}

function flatOfNothing(cacheDir: string) {
  const state = {
    refs: [],
    manifests: [],
    layers: [],
    layersOf: new Map(),
    rootfsPins: new Map(),
    startingPins: new Map(),
    snapshotPins: new Map()
  }
  return flatOf(state, indexState(state), cacheDir)
}

export { artifactKey }

export function openCache(options: CacheOptions = {}): Cache {
  return new Cache(locateCache(options), options)
}

// Every operation answers synchronously except `openDemo`, which builds a cache with msb.
export class Cache implements CallableCacheApi {
  private current: CacheLocation
  private files: CacheFiles
  private sharing: Sharing
  private planner: Planner
  private reads: ReadSide
  private fileReader: ImageFilesReader | null = null
  /**
   * Plans shown to the user, by fingerprint, so a confirmation deletes no more than was shown; with the
   * manifest each planned reference pointed at, so a reference msb moved since is not deleted.
   */
  private readonly approvedPlans = new ApprovedPlans()
  private usageMemo: { revision: string; usage: CacheUsage } | null = null
  /** While a demo cache is open: the home that was open before it (closeDemo goes back there). */
  private demoOf: string | null = null

  constructor(
    location: CacheLocation,
    private readonly options: CacheOptions = {}
  ) {
    this.current = location
    this.files = this.newFiles()
    this.sharing = sharingOf(location, options.alsoHomes, options.env ?? process.env)
    this.planner = new Planner(this.files, this.sharing, options.strayMarginMs)
    this.reads = new ReadSide(location.dbPath, location.problem)
  }

  /** Where this Cache looks; it changes only through `moveTo` (openDemo, closeDemo, adopt). */
  get location(): CacheLocation {
    return this.current
  }

  get home(): string {
    return this.location.home
  }

  /** The demo cache's temporary home while one is open (openDemo), else null. */
  get demoHome(): string | null {
    return this.demoOf ? this.location.home : null
  }

  close(): void {
    this.reads.close()
  }

  // ---- reads ----

  status(_args: NoArgs = NO_ARGS): CacheStatus {
    const status = this.baseStatus()
    if (status.schema.kind !== 'unknown' || status.problem) return status
    // A schema the explorer does not know: writes go through an msb that knows it, if one is installed.
    const choice = this.msbChoice()
    if (!choice) return status
    if (!choice.use) return { ...status, readOnlyReason: `${status.readOnlyReason}; ${needsMsb(choice)}` }
    const { path, version, source } = choice.use
    return { ...status, readOnly: false, readOnlyReason: null, writesThrough: { path, version, source } }
  }

  private msbChoice(): ReturnType<typeof chooseMsb> | null {
    const side = this.reads.get()
    if (!side) return null
    const applied = this.reads.guard(() => appliedMigrations(side.db))
    return chooseMsb(this.location.home, applied, this.options.env ?? process.env)
  }

  /**
   * The msb that does this home's writes: null when the explorer knows the schema and writes itself;
   * a refusal naming the msb needed when neither it nor an installed msb knows it.
   */
  private writer(): MsbBinary | null {
    const side = this.reads.get()
    if (!side) return null
    side.schema = this.reads.guard(() => readSchemaState(side.db))
    if (side.schema.kind !== 'unknown') return null
    const choice = this.msbChoice()
    if (choice?.use) return choice.use
    throw new CacheError(
      'SchemaUnsupported',
      `refusing to change the cache: ${side.schema.reason}; ${choice ? needsMsb(choice) : ''}`,
      { schema: side.schema }
    )
  }

  private baseStatus(): CacheStatus {
    const problem = this.location.problem
    return readStatus(
      this.reads,
      () => ({
        home: this.location.home,
        cacheDir: this.location.cacheDir,
        dbPath: this.location.dbPath,
        revision: this.revision(),
        demoAvailable: this.options.demo?.isAvailable() ?? false,
        demoOf: this.demoOf,
        problem: problem ?? null,
        alsoHomes: this.sharing.others.map((o) => o.home),
        sharedCache: this.sharing.shared
      }),
      problem
    )
  }

  list(_args: NoArgs = NO_ARGS): ImageHandle[] {
    const side = this.reads.get()
    if (!side) return []
    return this.reads.guard(() => side.queries.listRows().map((row) => toHandle(row)))
  }

  get({ reference }: { reference: string }): ImageHandle {
    const side = this.reads.getOrNotFound(reference)
    return this.reads.guard(() => toHandle(side.queries.getRow(reference)))
  }

  inspect({ reference }: { reference: string }): ImageDetail {
    const side = this.reads.getOrNotFound(reference)
    return this.reads.guard(() => side.queries.inspect(reference).detail)
  }

  insight({ reference }: { reference: string }): ImageInsight {
    return imageInsight(this.reads, this.files, reference)
  }

  /** Who uses each image, from the database alone (image-use.ts): the window's first rows need no file. */
  imageUse(_args: NoArgs = NO_ARGS): ImageUse[] {
    const side = this.reads.get()
    if (!side) return []
    return this.reads.guard(() => side.db.transaction(() => readImageUses(side.db, side.queries.listReferences()))())
  }

  /** The window's first screen (first-rows.ts): its rows in opening order, who uses them, the count. */
  firstRows(_args: NoArgs = NO_ARGS): FirstRows {
    const side = this.reads.get()
    if (!side) return { total: 0, images: [], uses: [] }
    return this.reads.guard(() =>
      side.db.transaction(() =>
        readFirstRows(
          side.db,
          side.queries.listRows().map((row) => toHandle(row)),
          FIRST_ROWS
        )
      )()
    )
  }

  /** The build steps and the layer each made, from msb's copy of the image config (image-history.ts). */
  history({ reference }: { reference: string }): ImageHistory {
    const side = this.reads.getOrNotFound(reference)
    const detail = this.reads.guard(() => side.queries.inspect(reference).detail)
    return imageHistory(this.location.cacheDir, detail)
  }

  /** Each reference's build date, in list order: one metadata file read per reference. */
  buildDates(_args: NoArgs = NO_ARGS): BuildDate[] {
    const side = this.reads.get()
    if (!side) return []
    const rows = this.reads.guard(() => side.queries.listRows())
    const cacheDir = this.location.cacheDir
    return rows.map((r) => ({ reference: r.reference, builtAt: builtAtOf(cacheDir, r.reference, r.digest) }))
  }

  imageFiles({ reference, layer }: { reference: string; layer?: number }): ImageFiles {
    const side = this.reads.getOrNotFound(reference)
    const detail = this.reads.guard(() => side.queries.inspect(reference).detail)
    // Layer trees are kept per cache directory; openDemo moves the core to another one.
    if (this.fileReader?.store.cacheDir !== this.location.cacheDir) {
      this.fileReader = new ImageFilesReader(new LayerStore(this.location.cacheDir))
    }
    return this.fileReader.read(detail, layer)
  }

  usage(_args: NoArgs = NO_ARGS, options: CallOptions = {}): CacheUsage {
    const revision = this.revision()
    if (this.usageMemo?.revision === revision) return this.usageMemo.usage
    const onProgress = options.onProgress
    const onMeasured = onProgress && ((filesMeasured: number) => onProgress({ operation: 'usage', filesMeasured }))
    const { usage, fromDatabase } = cacheUsage(this.reads, this.files, this.planner, this.location, onMeasured)
    if (fromDatabase) this.usageMemo = { revision, usage }
    return usage
  }

  /** What removing `references` together frees: their remove plan's bytes, without the plan. */
  selectionUsage({ references }: { references: string[] }): SelectionUsage {
    return selectionUsageOf(this.reads, this.files, this.planner, references)
  }

  /** The stored rows behind `list`, with msb's raw times (for msb-identical JSON in the CLI). */
  listRows(): StoredImageRow[] {
    const side = this.reads.get()
    return side ? this.reads.guard(() => side.queries.listRows()) : []
  }

  /** The stored rows behind `inspect` (for msb-identical JSON in the CLI). */
  inspectRows(reference: string): ReturnType<ImageQueries['inspect']> {
    const side = this.reads.getOrNotFound(reference)
    return this.reads.guard(() => side.db.transaction(() => side.queries.inspect(reference))())
  }

  // ---- plans ----

  removePlan({ references, force }: { references: string[]; force: boolean }): RemovePlan {
    const side = this.reads.getOrNotFound(references[0] ?? '')
    const plan = this.reads.guard(() =>
      this.files.within(
        side.db.transaction(() => {
          // Only what these images touch (touched-state.ts), and one lstat per file of theirs instead
          // of a scan of the cache (CacheFiles.perFile): a plan costs in proportion to the images.
          const { state, ix } = readTouchedState(side.db, references)
          const decision = decideRemove(state, references, force, ix)
          const files = new CacheFiles(this.location.cacheDir, { perFile: true })
          const plan = this.planner.plan(state, decision, files)
          return this.remember({ ...plan, force, heldBy: decision.heldBy }, decision)
        })
      )
    )
    return this.noteDelegation(plan, delegatedArgs('remove', plan, force))
  }

  prunePlan({ scope }: { scope: PruneScope }): PrunePlan {
    if (scope.kind === 'rules') compileRules(scope.rules)
    const side = this.reads.get()
    if (!side) {
      if (scope.kind === 'images') throw new CacheError('ImageNotFound', `image not found: ${scope.references[0]}`)
      return {
        scope,
        references: [],
        manifests: [],
        layers: [],
        files: [],
        totalBytes: 0,
        bytesByKind: [],
        kept: [],
        keptFiles: [],
        notes: [],
        fingerprint: 'empty',
        ...(scope.kind === 'rules' ? { chosen: [] } : {})
      }
    }
    const plan = this.reads.guard(() =>
      this.files.within(
        side.db.transaction(() => {
          const state = readCacheState(side.db)
          const ix = indexState(state)
          const { decision, chosen } = this.planner.decidePruneExplained(state, ix, scope)
          return this.remember(
            { ...this.planner.plan(state, decision), scope, ...(chosen ? { chosen } : {}) },
            decision
          )
        })
      )
    )
    if (scope.kind === 'dangling') return plan
    return this.noteDelegation(plan, delegatedArgs(scope.kind === 'unused' ? 'prune-unused' : 'prune-chosen', plan))
  }

  /** On a home the explorer does not know, a plan says which msb will carry it out, and how (or which msb it needs). */
  private noteDelegation<T extends DeletionPlan>(plan: T, args: string[]): T {
    if (this.reads.get()?.schema.kind !== 'unknown') return plan
    const choice = this.msbChoice()
    if (!choice) return plan
    const note = choice.use
      ? `this home's schema is newer than the explorer knows: msb ${choice.use.version ?? ''} (${choice.use.path}) will do it, running \`msb ${args.join(' ')}\`, and the result is shown beside this preview`
      : needsMsb(choice)
    return { ...plan, notes: [...plan.notes, note] }
  }

  // ---- writes ----

  remove(
    { references, force, fingerprint }: Parameters<CallableCacheApi['remove']>[0],
    options: CallOptions = {}
  ): RemoveResult {
    const progress = new ProgressReporter('remove', options.onProgress)
    progress.start()
    const side = this.reads.getOrNotFound(references[0] ?? '')
    const through = this.writer()
    if (through) {
      const plan = this.removePlan({ references, force })
      const done = this.delegate(through, delegatedArgs('remove', plan, force), plan, side.db, fingerprint)
      return removeResultOf(done, plan.heldBy)
    }
    const approved = this.approved(fingerprint)
    // Reads only what these images touch, like the plan: one image costs in proportion to it. Later batches
    // (more than 48 files: removal-leases.ts) read the whole state, as the references may be gone by then.
    let frozen: { scope: RemovalScope; manifestOf: Map<string, number> } | null = null
    const read = (db: Database.Database, { batch }: WriteStep) =>
      batch === 0 ? readTouchedState(db, references) : readWhole(db)
    const outcome = this.write(
      progress,
      read,
      (state, ix, _files, { batch, done }) => {
        if (frozen === null) {
          frozen = {
            scope: scopeOf(state, references, ix),
            manifestOf: new Map(references.flatMap((n) => refManifest(ix, n)))
          }
        } else if (batch === 0 && state.rules?.cleanupOf073) {
          // msb 0.7.3+: a reference re-tagged since the removal began fails it (cleanup.rs @3129f858).
          for (const [name, manifestId] of frozen.manifestOf) {
            const now = ix.refByName.get(name)
            if (now && now.manifestId !== manifestId) {
              throw new CacheError('ImageInUse', 'image reference changed during removal; retry', { reference: name })
            }
          }
        }
        const decision =
          batch === 0
            ? decideRemove(state, references, force, ix)
            : decideRemoveContinued(state, references, force, frozen.scope, ix)
        return this.restricted(decision, approved, done)
      },
      'refuse'
    )
    // Bytes that really left the disk, also those of a killed earlier run finished now.
    const removed = [...outcome.files, ...outcome.recovered].filter((f) => f.removed)
    return {
      removed: outcome.decision.refs.map((r) => r.reference),
      manifestsRemoved: outcome.decision.manifests.length,
      layersRemoved: outcome.decision.layers.length,
      filesRemoved: removed.length,
      bytesReclaimed: removed.reduce((n, f) => n + f.bytes, 0),
      heldBy: outcome.decision.heldBy,
      differences: [...recoveryNotes(outcome), ...outcome.differences]
    }
  }

  prune({ scope, fingerprint }: { scope: PruneScope; fingerprint?: string }, options: CallOptions = {}): PruneResult {
    const progress = new ProgressReporter('prune', options.onProgress)
    progress.start()
    // A rule that does not parse fails here, before anything is opened for writing.
    if (scope.kind === 'rules') compileRules(scope.rules)
    if (!this.reads.get()) {
      if (scope.kind === 'images') throw new CacheError('ImageNotFound', `image not found: ${scope.references[0]}`)
      return { report: emptyReport(), differences: [] }
    }
    const through = this.writer()
    if (through) return this.delegatedPrune(through, scope, fingerprint)
    const approved = this.approved(fingerprint)
    const outcome = this.write(progress, undefined, (state, ix, _files, { done }) =>
      this.restricted(this.planner.decidePrune(state, ix, scope), approved, done)
    )
    const inUse =
      outcome.skippedInUse > 0
        ? [`${outcome.skippedInUse} skipped: in use by a running msb (active storage operation); prune again later`]
        : []
    return {
      report: pruneReport(outcome),
      differences: [...recoveryNotes(outcome), ...inUse, ...outcome.differences]
    }
  }

  /**
   * A prune on a home the explorer does not know, through msb: msb's own prune for every unused image;
   * for chosen images or rules, `msb image rm` of the references the explorer's plan chose. A
   * dangling-only prune has no msb equivalent (msb's prune takes every unused image): refused.
   */
  private delegatedPrune(through: MsbBinary, scope: PruneScope, fingerprint?: string): PruneResult {
    if (scope.kind === 'dangling') {
      throw new CacheError(
        'Unsupported',
        `a dangling-only prune cannot be handed to msb ${through.version ?? ''} (its prune removes every unused image); nothing was changed`
      )
    }
    const plan = this.prunePlan({ scope })
    const side = this.reads.getOrNotFound('')
    if (scope.kind !== 'unused' && plan.references.length === 0) return { report: emptyReport(), differences: [] }
    const kind = scope.kind === 'unused' ? 'prune-unused' : 'prune-chosen'
    const done = this.delegate(through, delegatedArgs(kind, plan), plan, side.db, fingerprint)
    return { report: pruneReportOf(done), differences: done.differences, delegated: done }
  }

  /** Runs msb for `plan`; a run that failed having changed nothing is msb's refusal, said in its words. */
  private delegate(
    through: MsbBinary,
    args: string[],
    plan: DeletionPlan,
    db: Database.Database,
    fingerprint?: string
  ): DelegatedOutcome {
    const done = this.reads.guard(() =>
      runDelegated(this.location, db, through, args, plan, this.options.env ?? process.env)
    )
    this.usageMemo = null
    if (fingerprint && fingerprint !== plan.fingerprint)
      done.differences.unshift('the cache changed after the preview was shown; msb acted on the cache as it was')
    return refusedOrDone(done)
  }

  // ---- the demo ----

  /**
   * The unused flat rootfs artifacts (flat-artifacts.ts), counting the images of `references` as being
   * removed: a prune's or remove's own plan names them, so its dialog can offer their flat bytes too.
   */
  flatPlan({ removing }: { removing: string[] }): FlatPlan {
    const artifacts = this.flatArtifacts(removing).filter((a) => a.unused)
    return {
      artifacts,
      logicalBytes: artifacts.reduce((n, a) => n + a.reclaimLogicalBytes, 0),
      allocatedBytes: artifacts.reduce((n, a) => n + a.reclaimAllocatedBytes, 0)
    }
  }

  /** Deletes the planned unused flat artifacts still unused now, under msb's locks (flat-reclaim.ts). */
  reclaimFlat({ removing: references, paths }: { removing: string[]; paths: string[] }): FlatReclaimResult {
    const status = this.status()
    if (status.readOnly)
      throw new CacheError(
        'SchemaUnsupported',
        `refusing to change the cache: ${status.readOnlyReason ?? 'it is read-only'}`
      )
    const side = this.reads.get()
    const read = () => {
      if (!side) return { state: null, removing: new Set<string>() }
      return this.reads.guard(() =>
        side.db.transaction(() => {
          const state = readCacheState(side.db)
          return { state, removing: this.removingDigests(state, references) }
        })()
      )
    }
    const { state, removing } = read()
    const metadataOf = (digest: string) => {
      const m = state?.manifests.find((x) => x.digest === digest)
      const names = m ? state!.refs.filter((r) => r.manifestId === m.id).map((r) => r.reference) : []
      return [...names, ...references]
        .map((r) => metadataName(r))
        .filter((n): n is string => n !== null)
        .map((n) => `manifests/${n}`)
    }
    try {
      return reclaimFlat({
        cacheDir: this.location.cacheDir,
        home: this.location.home,
        context: {
          manifests: new Set(state?.manifests.map((m) => m.digest) ?? []),
          referenced: new Set(state?.refs.map((r) => state.manifests.find((m) => m.id === r.manifestId)?.digest ?? '')),
          removing,
          starting: new Set(state?.startingPins.keys() ?? [])
        },
        approved: new Set(paths),
        metadataOf
      })
    } finally {
      this.usageMemo = null
    }
  }

  private removingDigests(state: ReturnType<typeof readCacheState>, references: string[]): Set<string> {
    const ix = indexState(state)
    const out = new Set<string>()
    for (const r of references) {
      const ref = ix.refByName.get(r)
      const m = ref ? ix.manifestById.get(ref.manifestId) : undefined
      // Only when no other reference keeps the image.
      if (m && (ix.refsByManifest.get(m.id) ?? []).every((x) => references.includes(x.reference))) out.add(m.digest)
    }
    return out
  }

  private flatArtifacts(references: string[]) {
    const side = this.reads.get()
    if (!side) return flatOfNothing(this.location.cacheDir)
    return this.reads.guard(() =>
      side.db.transaction(() => {
        const state = readCacheState(side.db)
        return flatOf(state, indexState(state), this.location.cacheDir, this.removingDigests(state, references))
      })()
    )
  }

  /** Builds the demo cache with the real msb (the injected builder) in a new temporary home and points this Cache at it. */
  async openDemo(_args: NoArgs = NO_ARGS): Promise<CacheStatus> {
    const next = await buildDemo(this.options.demo, this.location.home, this.demoOf)
    this.moveTo(next.home, next.demoOf)
    if (next.replaced) this.options.demo?.discard(next.replaced)
    return this.status()
  }

  /** Back from the demo cache to the home open before it; the demo's temporary home is deleted. */
  closeDemo(_args: NoArgs = NO_ARGS): CacheStatus {
    if (!this.demoOf) throw new CacheError('InvalidArgument', 'no demo cache is open')
    const demoHome = this.location.home
    this.moveTo(this.demoOf, null)
    this.options.demo?.discard(demoHome)
    return this.status()
  }

  // ---- homes sharing the cache ----

  /** Which other homes share this cache: their files are kept (see shared-cache.ts). */
  shareCacheWith({ homes }: { homes: string[] }): CacheStatus {
    // Validated first: a conflicting home changes nothing.
    const sharing = sharingOf(this.location, homes, this.options.env ?? process.env)
    this.sharing = sharing
    this.planner = new Planner(this.files, sharing, this.options.strayMarginMs)
    // Plans made before counted other homes differently.
    this.approvedPlans.clear()
    this.usageMemo = null
    return this.status()
  }

  /**
   * Takes the app state another core's operation set (the desktop session hands the state its worker's
   * answer describes to its in-process core, and to a worker it starts again): the home, the demo it
   * replaced, the homes sharing the cache. Changes nothing that is already so.
   */
  adopt(state: AppState): void {
    const home = state.home ?? this.location.home
    if (home !== this.location.home || state.demoOf !== this.demoOf) this.moveTo(home, state.demoOf)
    const named = this.sharing.others.map((o) => o.home)
    if (named.length !== state.alsoHomes.length || named.some((h, i) => h !== state.alsoHomes[i]))
      this.shareCacheWith({ homes: state.alsoHomes })
  }

  /** Points this Cache at another home (openDemo, closeDemo, adopt). */
  private moveTo(home: string, demoOf: string | null = null): void {
    this.demoOf = demoOf
    this.close()
    this.current = locateCache({ home, env: this.options.env })
    this.files = this.newFiles()
    // A demo home shares nothing.
    this.sharing = sharingOf(this.current, [], this.options.env ?? process.env)
    this.planner = new Planner(this.files, this.sharing, this.options.strayMarginMs)
    this.reads = new ReadSide(this.current.dbPath, this.current.problem)
    // Plans and memos describe the previous home.
    this.approvedPlans.clear()
    this.usageMemo = null
  }

  // ---- internals ----

  private newFiles(): CacheFiles {
    const dir = this.options.sizeStoreDir
    return new CacheFiles(this.current.cacheDir, dir ? { store: new SizeStore(dir) } : {})
  }

  private remember<T extends DeletionPlan>(plan: T, decision: RowDecision): T {
    return this.approvedPlans.remember(plan, decision)
  }

  private approved(fingerprint: string | undefined): ApprovedPlan | null {
    return this.approvedPlans.approved(fingerprint)
  }

  /** The fresh decision limited to the approved plan (if any), rows and files alike. */
  private restricted(fresh: RowDecision, approved: ApprovedPlan | null, done?: ReadonlySet<string>): Decided {
    if (!approved) return { decision: fresh, differences: [] }
    return {
      ...restrictTo(fresh, approved.plan, approved.targets, done),
      allowedFiles: new Set(approved.plan.files.map((f) => f.path))
    }
  }

  /** runWrite checks the schema and msb's lease itself, on the write connection, at the moment of writing. */
  private write(
    progress: ProgressReporter,
    read: WriteOptions['read'],
    decide: WriteDecide,
    busy: WriteOptions['busy'] = 'skip'
  ): WriteOutcome {
    try {
      return runWrite(
        this.location,
        {
          graceMs: this.options.graceMs ?? 250,
          graceAlways: this.options.graceAlways,
          graceWait: this.options.graceWait,
          busyTimeoutMs: this.options.busyTimeoutMs,
          leaseWaitMs: this.options.leaseWaitMs,
          sharing: this.sharing,
          progress,
          read,
          busy
        },
        decide
      )
    } finally {
      this.usageMemo = null
    }
  }

  private revision(): string {
    return cacheRevision(this.location)
  }
}

function readWhole(db: Database.Database): { state: CacheState; ix: Indexes } {
  const state = readCacheState(db)
  return { state, ix: indexState(state) }
}

function refManifest(ix: Indexes, name: string): [string, number][] {
  const r = ix.refByName.get(name)
  return r ? [[name, r.manifestId]] : []
}
