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
  SchemaState,
  SelectionUsage
} from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import { type ApprovedPlan, ApprovedPlans } from './approved-plans'
import { CacheFiles } from './cache-files'
import { cacheRevision } from './cache-revision'
import { type CacheState, readCacheState } from './cache-state'
import { openReadConnection, toCacheError } from './database'
import {
  decidePruneDangling,
  decidePruneImages,
  decidePruneUnused,
  decideRemove,
  type FileTarget,
  filesOf,
  indexState,
  type Indexes,
  restrictTo,
  type RowDecision,
  toDeletionPlan
} from './deletion-plan'
import { type CacheLocation, type LocateOptions, locateCache } from './home'
import { type ImageRow, ImageQueries, toHandle } from './image-queries'
import { isWritableSchema, readSchemaState } from './schema'
import { STRAY_MARGIN_MS, strayFiles } from './stray-files'
import { danglingUsage, imageUsages, layerUsages, planBytes, selectionUsage, sharedLayerBytes } from './usage'
import { leaseHeldSteadily, runWrite, type WriteOutcome } from './write-operation'
import { emptyReport, pruneReport } from './prune-report'

export interface CacheOptions extends LocateOptions {
  /** How long files moved aside wait for a concurrent msb to claim them again (ms). */
  graceMs?: number
  /** Minimum age of an unreferenced file before a dangling prune takes it (ms). */
  strayMarginMs?: number
  busyTimeoutMs?: number
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
    const side = this.read()
    const base = {
      home: this.location.home,
      cacheDir: this.location.cacheDir,
      dbPath: this.location.dbPath,
      revision: this.revision(),
      demoAvailable: this.options.demo?.isAvailable() ?? false
    }
    if (!side) {
      return {
        ...base,
        schema: { kind: 'missing' },
        readOnly: true,
        readOnlyReason: 'there is no microsandbox database yet (nothing has been pulled)',
        imageCount: 0,
        manifestCount: 0,
        layerCount: 0
      }
    }
    return this.guard(() => {
      // msb may migrate the database while the explorer is open.
      side.schema = readSchemaState(side.db)
      const count = (table: string) => side.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number
      const lease = leaseHeldSteadily(side.db)
      const readOnlyReason =
        side.schema.kind === 'unknown'
          ? side.schema.reason
          : lease
            ? `msb is installing or upgrading itself (until ${lease}); remove and prune wait until it is done`
            : null
      return {
        ...base,
        schema: side.schema,
        readOnly: readOnlyReason !== null || !isWritableSchema(side.schema),
        readOnlyReason,
        imageCount: count('image_ref'),
        manifestCount: count('manifest'),
        layerCount: count('layer')
      }
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
    return this.snapshot(side, (state, ix) => {
      const { row, detail } = side.queries.inspect(reference)
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
        return {
          images: [],
          totals,
          totalBytes,
          sharedLayerBytes: 0,
          reclaimableBytes: 0,
          danglingBytes: 0,
          dangling: []
        }
      }
      const usage = this.guard(() =>
        side.db.transaction(() => {
          const references = side.queries.listRows().map((r) => r.reference)
          const state = readCacheState(side.db)
          const ix = indexState(state)
          return {
            images: imageUsages(state, ix, this.files, references),
            totals,
            totalBytes,
            sharedLayerBytes: sharedLayerBytes(state, ix, this.files),
            reclaimableBytes: planBytes(decidePruneUnused(state, ix), state, this.files),
            ...danglingUsage(this.dangling(state, ix), state, this.files)
          }
        })()
      )
      this.usageMemo = { revision, usage }
      return usage
    })
  }

  /** What removing `references` together frees (see usage.ts). */
  selectionUsage({ references }: { references: string[] }): SelectionUsage {
    const side = this.read()
    if (!side) return { freedBytes: 0, inUse: [], missing: [...new Set(references)] }
    return this.snapshot(side, (state, ix) => selectionUsage(state, ix, this.files, references))
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
    return this.snapshot(side, (state, ix) => {
      const decision = decideRemove(state, references, force, ix)
      return this.remember({ ...this.plan(state, ix, decision), force, heldBy: decision.heldBy }, decision)
    })
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
        fingerprint: 'empty'
      }
    }
    return this.snapshot(side, (state, ix) => {
      const decision = this.decidePrune(state, ix, scope)
      return this.remember({ ...this.plan(state, ix, decision), scope }, decision)
    })
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
      return approved ? restrictTo(fresh, approved.plan, approved.targets) : { decision: fresh, differences: [] }
    })
    const removed = outcome.files.filter((f) => f.removed)
    return {
      removed: outcome.decision.refs.map((r) => r.reference),
      manifestsRemoved: outcome.decision.manifests.length,
      layersRemoved: outcome.decision.layers.length,
      filesRemoved: removed.length,
      bytesReclaimed: removed.reduce((n, f) => n + f.bytes, 0),
      heldBy: outcome.decision.heldBy,
      differences: outcome.differences
    }
  }

  prune({ scope, fingerprint }: { scope: PruneScope; fingerprint?: string }): PruneResult {
    if (!this.read()) {
      if (scope.kind === 'images') throw new CacheError('ImageNotFound', `image not found: ${scope.references[0]}`)
      return { report: emptyReport(), differences: [] }
    }
    const approved = this.approved(fingerprint)
    const outcome = this.write((state, ix) => {
      const fresh = this.decidePrune(state, ix, scope)
      return approved ? restrictTo(fresh, approved.plan, approved.targets) : { decision: fresh, differences: [] }
    })
    return { report: pruneReport(outcome), differences: outcome.differences }
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

  /** Points this Cache at another home (openDemo; the desktop session's in-process core follows its worker). */
  moveTo(home: string): void {
    this.close()
    this.current = locateCache({ home, env: this.options.env })
    this.files = new CacheFiles(this.current.cacheDir)
    // Plans and memos describe the previous home.
    this.approvedPlans.clear()
    this.usageMemo = null
  }

  // ---- internals ----

  private decidePrune(state: CacheState, ix: Indexes, scope: PruneScope): RowDecision {
    if (scope.kind === 'unused') return decidePruneUnused(state, ix)
    if (scope.kind === 'images') return decidePruneImages(state, scope.references, ix)
    return this.dangling(state, ix)
  }

  private dangling(state: CacheState, ix: Indexes): RowDecision {
    const decision = decidePruneDangling(state, ix)
    decision.strays = strayFiles(state, decision, this.files, Date.now(), this.options.strayMarginMs ?? STRAY_MARGIN_MS)
    return decision
  }

  private plan(state: CacheState, _ix: Indexes, decision: RowDecision): DeletionPlan {
    const files: FileTarget[] = [
      ...filesOf(decision, state, this.files),
      ...decision.strays.map((s) => ({ ...s, locks: [] }))
    ]
    return toDeletionPlan(decision, files)
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
        { graceMs: this.options.graceMs ?? 250, busyTimeoutMs: this.options.busyTimeoutMs },
        decide
      )
    } finally {
      this.usageMemo = null
    }
  }

  private read(): ReadSide | null {
    if (this.readSide) return this.readSide
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

  /** `work` on one consistent read of the rows and one view of the files. */
  private snapshot<T>(side: ReadSide, work: (state: CacheState, ix: Indexes) => T): T {
    return this.guard(() =>
      this.files.within(
        side.db.transaction(() => {
          const state = readCacheState(side.db)
          return work(state, indexState(state))
        })
      )
    )
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
