// The cache core: the contract's operations over one microsandbox home, in plain Node (no Electron),
// so the desktop app, the HTTP server, the CLI, the benchmarks and the tests all run the same code.
import type Database from 'better-sqlite3'
import type {
  CacheStatus,
  CallableCacheApi,
  CacheUsage,
  DeletionPlan,
  ImageDetail,
  ImageHandle,
  ImageInsight,
  PrunePlan,
  PruneResult,
  PruneScope,
  RemovePlan,
  RemoveResult,
  SchemaState
} from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import { type ApprovedPlan, ApprovedPlans } from './approved-plans'
import { CacheFiles } from './cache-files'
import { cacheRevision } from './cache-revision'
import { databaseStatus, NO_DATABASE_REASON } from './cache-status'
import { readCacheState } from './cache-state'
import { openReadConnection, toCacheError } from './database'
import { decidePruneUnused, decideRemove, indexState, type RowDecision } from './deletion-plan'
import { type CacheLocation, type LocateOptions, locateCache } from './home'
import { type ImageRow, ImageQueries, toHandle } from './image-queries'
import { readSchemaState } from './schema'
import { restrictTo } from './plan-restriction'
import { Planner } from './planner'
import { type Sharing, sharingOf } from './shared-cache'
import { imageUsages, layerUsages } from './usage'
import { runWrite, type WriteOutcome } from './write-operation'
import { emptyReport, pruneReport, recoveryNotes } from './prune-report'

export interface CacheOptions extends LocateOptions {
  /** How long files moved aside wait for a concurrent msb to claim them again (ms). */
  graceMs?: number
  /** Minimum age of an unreferenced file before a dangling prune takes it (ms). */
  strayMarginMs?: number
  busyTimeoutMs?: number
  /** Other homes whose caches are this cache (`--also-home`): their files are kept (shared-cache.ts). */
  alsoHomes?: string[]
  /** Builds demo caches (`openDemo`); without one the status says no demo is available. */
  demo?: DemoBuilder
}

/**
 * The demo cache builder, injected by the programs that offer it (src/main/demo/demo-builder.ts), so the
 * core never loads the builder (OCI archives, `msb load`) itself.
 */
export interface DemoBuilder {
  /** False where msb's CLI is not installed (a packaged app). */
  isAvailable(): boolean
  /** Builds a demo cache in a new home and returns that home. */
  build(): Promise<string>
}

interface ReadSide {
  db: Database.Database
  queries: ImageQueries
  schema: SchemaState
}

type NoArgs = Record<string, never>
const NO_ARGS: NoArgs = {}

export function openCache(options: CacheOptions = {}): Cache {
  return new Cache(locateCache(options), options)
}

// Every operation answers synchronously except `openDemo`, which builds a cache with msb.
export class Cache implements CallableCacheApi {
  private current: CacheLocation
  private files: CacheFiles
  private sharing: Sharing
  private planner: Planner
  private readSide: ReadSide | null = null
  /**
   * Plans shown to the user, by fingerprint, so a confirmation deletes no more than was shown; with the
   * manifest each planned reference pointed at, so a reference msb moved since is not deleted.
   */
  private readonly approvedPlans = new ApprovedPlans()
  private usageMemo: { revision: string; usage: CacheUsage } | null = null

  constructor(
    location: CacheLocation,
    private readonly options: CacheOptions = {}
  ) {
    this.current = location
    this.files = new CacheFiles(location.cacheDir)
    this.sharing = sharingOf(location, options.alsoHomes, options.env ?? process.env)
    this.planner = new Planner(this.files, this.sharing, options.strayMarginMs)
  }

  /** Where this Cache looks; it changes only through `moveTo` (openDemo). */
  get location(): CacheLocation {
    return this.current
  }

  get home(): string {
    return this.location.home
  }

  close(): void {
    this.readSide?.db.close()
    this.readSide = null
  }

  // ---- reads ----

  status(_args: NoArgs = NO_ARGS): CacheStatus {
    const problem = this.location.problem
    const side = problem ? null : this.read()
    const base = {
      home: this.location.home,
      cacheDir: this.location.cacheDir,
      dbPath: this.location.dbPath,
      revision: this.revision(),
      problem: problem ?? null,
      alsoHomes: this.sharing.others.map((o) => o.home),
      sharedCache: this.sharing.shared,
      demoAvailable: this.options.demo?.isAvailable() ?? false
    }
    if (!side) {
      const readOnlyReason = problem ?? NO_DATABASE_REASON
      return {
        ...base,
        schema: { kind: 'missing' },
        readOnly: true,
        readOnlyReason,
        imageCount: 0,
        manifestCount: 0,
        layerCount: 0
      }
    }
    return this.guard(() => {
      const db = databaseStatus(side.db)
      side.schema = db.schema
      return { ...base, ...db }
    })
  }

  list(_args: NoArgs = NO_ARGS): ImageHandle[] {
    const side = this.read()
    if (!side) return []
    return this.guard(() => side.queries.listRows().map((row) => toHandle(row)))
  }

  get({ reference }: { reference: string }): ImageHandle {
    const side = this.readOrNotFound(reference)
    return this.guard(() => toHandle(side.queries.getRow(reference)))
  }

  inspect({ reference }: { reference: string }): ImageDetail {
    const side = this.readOrNotFound(reference)
    return this.guard(() => side.queries.inspect(reference).detail)
  }

  insight({ reference }: { reference: string }): ImageInsight {
    const side = this.readOrNotFound(reference)
    return this.guard(() =>
      this.files.within(
        side.db.transaction(() => {
          const { row, detail } = side.queries.inspect(reference)
          const state = readCacheState(side.db)
          const ix = indexState(state)
          const [usage] = imageUsages(state, ix, this.files, [reference])
          const m = row.manifestId
          const layers = m === null ? [] : layerUsages(state, ix, this.files, m, detail.layers)
          const stem = row.digest?.replace(':', '_')
          return {
            detail,
            usage,
            layers,
            fsmetaBytes: stem ? this.files.sizeOf('fsmeta', `${stem}.erofs`) : null,
            vmdkBytes: stem ? this.files.sizeOf('vmdk', `${stem}.vmdk`) : null
          }
        })
      )
    )
  }

  usage(_args: NoArgs = NO_ARGS): CacheUsage {
    const revision = this.revision()
    if (this.usageMemo?.revision === revision) return this.usageMemo.usage
    // One view of the files for the whole computation (see CacheFiles.within).
    return this.files.within(() => {
      const side = this.read()
      const totals = this.files.totals()
      const totalBytes = totals.reduce((n, t) => n + t.bytes, 0)
      if (!side) {
        return { images: [], totals, totalBytes, sharedLayerBytes: 0, reclaimableBytes: 0, danglingBytes: 0 }
      }
      const usage = this.guard(() =>
        side.db.transaction(() => {
          const references = side.queries.listRows().map((r) => r.reference)
          const state = readCacheState(side.db)
          const ix = indexState(state)
          let sharedLayerBytes = 0
          for (const l of state.layers) {
            if ((ix.layerUse.get(l.id) ?? 0) > 1)
              sharedLayerBytes += this.files.sizeOf('layers', `${l.diffId.replace(':', '_')}.erofs`) ?? 0
          }
          return {
            images: imageUsages(state, ix, this.files, references),
            totals,
            totalBytes,
            sharedLayerBytes,
            reclaimableBytes: this.planner.planBytes(state, decidePruneUnused(state, ix)),
            danglingBytes: this.planner.planBytes(state, this.planner.dangling(state, ix))
          }
        })()
      )
      this.usageMemo = { revision, usage }
      return usage
    })
  }

  /** The stored rows behind `list`, with msb's raw times (for msb-identical JSON in the CLI). */
  listRows(): ImageRow[] {
    const side = this.read()
    return side ? this.guard(() => side.queries.listRows()) : []
  }

  /** The stored rows behind `inspect` (for msb-identical JSON in the CLI). */
  inspectRows(reference: string): ReturnType<ImageQueries['inspect']> {
    const side = this.readOrNotFound(reference)
    return this.guard(() => side.db.transaction(() => side.queries.inspect(reference))())
  }

  // ---- plans ----

  removePlan({ references, force }: { references: string[]; force: boolean }): RemovePlan {
    const side = this.readOrNotFound(references[0] ?? '')
    return this.guard(() =>
      this.files.within(
        side.db.transaction(() => {
          const state = readCacheState(side.db)
          const ix = indexState(state)
          const decision = decideRemove(state, references, force, ix)
          return this.remember({ ...this.planner.plan(state, decision), force, heldBy: decision.heldBy }, decision)
        })
      )
    )
  }

  prunePlan({ scope }: { scope: PruneScope }): PrunePlan {
    const side = this.read()
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
        fingerprint: 'empty'
      }
    }
    return this.guard(() =>
      this.files.within(
        side.db.transaction(() => {
          const state = readCacheState(side.db)
          const ix = indexState(state)
          const decision = this.planner.decidePrune(state, ix, scope)
          return this.remember({ ...this.planner.plan(state, decision), scope }, decision)
        })
      )
    )
  }

  // ---- writes ----

  remove({
    references,
    force,
    fingerprint
  }: {
    references: string[]
    force: boolean
    fingerprint?: string
  }): RemoveResult {
    this.readOrNotFound(references[0] ?? '')
    const approved = this.approved(fingerprint)
    const outcome = this.write((state, ix) => {
      const fresh = decideRemove(state, references, force, ix)
      return approved ? this.restricted(fresh, approved) : { decision: fresh, differences: [] }
    })
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

  prune({ scope, fingerprint }: { scope: PruneScope; fingerprint?: string }): PruneResult {
    if (!this.read()) {
      if (scope.kind === 'images') throw new CacheError('ImageNotFound', `image not found: ${scope.references[0]}`)
      return { report: emptyReport(), differences: [] }
    }
    const approved = this.approved(fingerprint)
    const outcome = this.write((state, ix) => {
      const fresh = this.planner.decidePrune(state, ix, scope)
      return approved ? this.restricted(fresh, approved) : { decision: fresh, differences: [] }
    })
    return { report: pruneReport(outcome), differences: [...recoveryNotes(outcome), ...outcome.differences] }
  }

  // ---- the demo ----

  /** Builds the demo cache with the real msb (the injected builder) in a new temporary home and points this Cache at it. */
  async openDemo(_args: NoArgs = NO_ARGS): Promise<CacheStatus> {
    const demo = this.options.demo
    if (!demo?.isAvailable()) {
      throw new CacheError(
        'Unsupported',
        'building a demo cache needs the msb CLI from npm (@superradcompany/microsandbox-*); run npm install'
      )
    }
    this.moveTo(await demo.build())
    return this.status()
  }

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

  /** Points this Cache at another home (openDemo; the desktop session's in-process core follows its worker). */
  moveTo(home: string): void {
    this.close()
    this.current = locateCache({ home, env: this.options.env })
    this.files = new CacheFiles(this.current.cacheDir)
    // A demo home shares nothing.
    this.sharing = sharingOf(this.current, [], this.options.env ?? process.env)
    this.planner = new Planner(this.files, this.sharing, this.options.strayMarginMs)
    // Plans and memos describe the previous home.
    this.approvedPlans.clear()
    this.usageMemo = null
  }

  // ---- internals ----

  /** The fresh decision limited to the approved plan, rows and files alike. */
  private restricted(fresh: RowDecision, approved: ApprovedPlan) {
    return {
      ...restrictTo(fresh, approved.plan, approved.targets),
      allowedFiles: new Set(approved.plan.files.map((f) => f.path))
    }
  }

  private remember<T extends DeletionPlan>(plan: T, decision: RowDecision): T {
    return this.approvedPlans.remember(plan, decision)
  }

  private approved(fingerprint: string | undefined): ApprovedPlan | null {
    return this.approvedPlans.approved(fingerprint)
  }

  /** runWrite checks the schema and msb's lease itself, on the write connection, at the moment of writing. */
  private write(decide: Parameters<typeof runWrite>[2]): WriteOutcome {
    try {
      return runWrite(
        this.location,
        { graceMs: this.options.graceMs ?? 250, busyTimeoutMs: this.options.busyTimeoutMs, sharing: this.sharing },
        decide
      )
    } finally {
      this.usageMemo = null
    }
  }

  private read(): ReadSide | null {
    if (this.readSide) return this.readSide
    // A home msb itself would refuse (a bad config.json) or that is not there: every operation says why.
    if (this.location.problem) throw new CacheError('InvalidArgument', this.location.problem)
    const db = openReadConnection(this.location.dbPath)
    if (!db) return null
    try {
      const schema = readSchemaState(db)
      this.readSide = { db, queries: new ImageQueries(db), schema }
      return this.readSide
    } catch (error) {
      db.close()
      throw toCacheError(error, this.location.dbPath)
    }
  }

  private readOrNotFound(reference: string): ReadSide {
    const side = this.read()
    if (!side) throw new CacheError('ImageNotFound', `image not found: ${reference}`, { reference })
    return side
  }

  private guard<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw toCacheError(error, this.location.dbPath)
    }
  }

  private revision(): string {
    return cacheRevision(this.location)
  }
}
