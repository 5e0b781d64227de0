// The cache core: the contract's operations over one microsandbox home, in plain Node (no Electron),
// so the desktop app, the HTTP server, the CLI, the benchmarks and the tests all run the same code.
//
// This class is the façade: each operation is a line that hands the work to the module that owns it:
// reads (status, images, files, usage) to cache-reads.ts, plans to cache-plans.ts, remove and prune to
// cache-writes.ts (one short transaction, rows before files), flat rootfs artifacts to cache-flat.ts.
// The home it has open and what depends on it (files, sharing homes, plans shown) is cache-context.ts;
// the demo and the homes sharing the cache change it here.
import type {
  BuildDate,
  CacheStatus,
  CacheUsage,
  CallableCacheApi,
  CallOptions,
  FirstRows,
  FlatPlan,
  FlatReclaimResult,
  ImageDetail,
  ImageFiles,
  ImageHandle,
  ImageHistory,
  ImageInsight,
  ImageUse,
  PrunePlan,
  PruneResult,
  PruneScope,
  RemovePlan,
  RemoveResult,
  SelectionUsage
} from '../../shared/contract'
import type { AppState } from '../../shared/app-state'
import { CacheError } from '../../shared/errors'
import { CacheContext, type CacheOptions } from './cache-context'
import { flatPlanOf, reclaimFlatOf } from './cache-flat'
import { prunePlanOf, removePlanOf } from './cache-plans'
import * as reads from './cache-reads'
import { pruneImages, removeImages, type RemoveArgs } from './cache-writes'
import type { ImageQueries, StoredImageRow } from './database/image-queries'
import type { Listing } from './usage/listing-store'
import { buildDemo } from './demo-switch'
import { type CacheLocation, locateCache } from './homes/home'
import { artifactKey } from './writing/flat-reclaim'

export type { CacheOptions }
export { artifactKey }

type NoArgs = Record<string, never>
const NO_ARGS: NoArgs = {}

export function openCache(options: CacheOptions = {}): Cache {
  return new Cache(locateCache(options), options)
}

// Every operation answers synchronously except `openDemo`, which builds a cache with msb.
export class Cache implements CallableCacheApi {
  private readonly ctx: CacheContext

  constructor(location: CacheLocation, options: CacheOptions = {}) {
    this.ctx = new CacheContext(location, options)
  }

  /** Where this Cache looks; it changes only when it moves to another home (openDemo, closeDemo, adopt). */
  get location(): CacheLocation {
    return this.ctx.location
  }

  get home(): string {
    return this.location.home
  }

  /** The demo cache's temporary home while one is open (openDemo), else null. */
  get demoHome(): string | null {
    return this.ctx.demoOf ? this.location.home : null
  }

  close(): void {
    this.ctx.close()
  }

  // ---- reads ----

  status(_args: NoArgs = NO_ARGS): CacheStatus {
    return reads.statusOf(this.ctx)
  }

  list(_args: NoArgs = NO_ARGS): ImageHandle[] {
    return reads.listImages(this.ctx)
  }

  get({ reference }: { reference: string }): ImageHandle {
    return reads.getImage(this.ctx, reference)
  }

  inspect({ reference }: { reference: string }): ImageDetail {
    return reads.inspectImage(this.ctx, reference)
  }

  insight({ reference }: { reference: string }): ImageInsight {
    return reads.insightOf(this.ctx, reference)
  }

  imageUse(_args: NoArgs = NO_ARGS): ImageUse[] {
    return reads.imageUses(this.ctx)
  }

  firstRows(_args: NoArgs = NO_ARGS): FirstRows {
    return reads.firstRowsOf(this.ctx)
  }

  history({ reference }: { reference: string }): ImageHistory {
    return reads.historyOf(this.ctx, reference)
  }

  buildDates(_args: NoArgs = NO_ARGS): BuildDate[] {
    return reads.buildDatesOf(this.ctx)
  }

  imageFiles({ reference, layer }: { reference: string; layer?: number }): ImageFiles {
    return reads.imageFilesOf(this.ctx, reference, layer)
  }

  usage(_args: NoArgs = NO_ARGS, options: CallOptions = {}): CacheUsage {
    return reads.usageOf(this.ctx, options)
  }

  /**
   * The images and `usage().images` without the rest of the usage (totals, prune figures, the whole
   * home), their flat bytes left 0: what `ice ls` prints, for a fraction of the work; the figures kept
   * between runs of the built `ice` (listing-store.ts).
   */
  listing(): Listing {
    return reads.listingOf(this.ctx)
  }

  selectionUsage({ references }: { references: string[] }): SelectionUsage {
    return reads.selectionUsageFor(this.ctx, references)
  }

  /** The stored rows behind `list`, with msb's raw times (for msb-identical JSON in the CLI). */
  listRows(): StoredImageRow[] {
    return reads.listRows(this.ctx)
  }

  /** The stored rows behind `inspect` (for msb-identical JSON in the CLI). */
  inspectRows(reference: string): ReturnType<ImageQueries['inspect']> {
    return reads.inspectRows(this.ctx, reference)
  }

  // ---- plans and writes ----

  removePlan({ references, force }: { references: string[]; force: boolean }): RemovePlan {
    return removePlanOf(this.ctx, references, force)
  }

  prunePlan({ scope }: { scope: PruneScope }): PrunePlan {
    return prunePlanOf(this.ctx, scope)
  }

  remove(args: RemoveArgs, options: CallOptions = {}): RemoveResult {
    return removeImages(this.ctx, args, options)
  }

  prune(args: { scope: PruneScope; fingerprint?: string }, options: CallOptions = {}): PruneResult {
    return pruneImages(this.ctx, args, options)
  }

  flatPlan({ removing }: { removing: string[] }): FlatPlan {
    return flatPlanOf(this.ctx, removing)
  }

  reclaimFlat({ removing, paths }: { removing: string[]; paths: string[] }): FlatReclaimResult {
    return reclaimFlatOf(this.ctx, removing, paths)
  }

  // ---- the demo ----

  /** Builds the demo cache with the real msb (the injected builder) in a new temporary home and points this Cache at it. */
  async openDemo(_args: NoArgs = NO_ARGS): Promise<CacheStatus> {
    const demo = this.ctx.options.demo
    const next = await buildDemo(demo, this.location.home, this.ctx.demoOf)
    this.ctx.moveTo(next.home, next.demoOf)
    if (next.replaced) demo?.discard(next.replaced)
    return this.status()
  }

  /** Back from the demo cache to the home open before it; the demo's temporary home is deleted. */
  closeDemo(_args: NoArgs = NO_ARGS): CacheStatus {
    const back = this.ctx.demoOf
    if (!back) throw new CacheError('InvalidArgument', 'no demo cache is open')
    const demoHome = this.location.home
    this.ctx.moveTo(back, null)
    this.ctx.options.demo?.discard(demoHome)
    return this.status()
  }

  // ---- homes sharing the cache ----

  /** Which other homes share this cache: their files are kept (see shared-cache.ts). */
  shareCacheWith({ homes }: { homes: string[] }): CacheStatus {
    this.ctx.shareWith(homes)
    return this.status()
  }

  /**
   * Takes the app state another core's operation set (the desktop session hands the state its worker's
   * answer describes to its in-process core, and to a worker it starts again): the home, the demo it
   * replaced, the homes sharing the cache. Changes nothing that is already so.
   */
  adopt(state: AppState): void {
    const home = state.home ?? this.location.home
    if (home !== this.location.home || state.demoOf !== this.ctx.demoOf) this.ctx.moveTo(home, state.demoOf)
    const named = this.ctx.sharing.others.map((o) => o.home)
    if (named.length !== state.alsoHomes.length || named.some((h, i) => h !== state.alsoHomes[i]))
      this.shareCacheWith({ homes: state.alsoHomes })
  }
}
