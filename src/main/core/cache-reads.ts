// The Cache's read operations: the status, the images and their detail, who uses them, their history,
// files and disk usage. Each reads one snapshot of the database through the context's read side
// (read-side.ts) and hands the work to the module that owns it.
import type {
  BuildDate,
  CacheStatus,
  CacheUsage,
  CallOptions,
  FirstRows,
  ImageDetail,
  ImageFiles,
  ImageHandle,
  ImageHistory,
  ImageInsight,
  ImageUse,
  SelectionUsage
} from '../../shared/contract'
import { FIRST_ROWS } from '../../shared/contract'
import type { CacheContext } from './cache-context'
import { readStatus } from './cache-status'
import { type ImageQueries, type StoredImageRow, toHandle } from './database/image-queries'
import { ImageFilesReader } from './layer-files/image-files'
import { LayerStore } from './layer-files/layer-store'
import { readImageUses } from './planning/image-use'
import { readFirstRows } from './usage/first-rows'
import { builtAtOf, imageHistory } from './usage/image-history'
import type { Listing } from './usage/listing-store'
import { cacheUsage, imageInsight, listing, selectionUsageOf } from './usage/usage-report'
import { needsMsb } from './writing/msb-delegation'

export function statusOf(ctx: CacheContext): CacheStatus {
  const status = baseStatus(ctx)
  if (status.schema.kind !== 'unknown' || status.problem) return status
  // A schema the explorer does not know: writes go through an msb that knows it, if one is installed.
  const choice = ctx.msbChoice()
  if (!choice) return status
  if (!choice.use) return { ...status, readOnlyReason: `${status.readOnlyReason}; ${needsMsb(choice)}` }
  const { path, version, source } = choice.use
  return { ...status, readOnly: false, readOnlyReason: null, writesThrough: { path, version, source } }
}

function baseStatus(ctx: CacheContext): CacheStatus {
  const problem = ctx.location.problem
  return readStatus(
    ctx.reads,
    () => ({
      home: ctx.location.home,
      cacheDir: ctx.location.cacheDir,
      dbPath: ctx.location.dbPath,
      revision: ctx.revision(),
      demoAvailable: ctx.options.demo?.isAvailable() ?? false,
      demoOf: ctx.demoOf,
      problem: problem ?? null,
      alsoHomes: ctx.sharing.others.map((o) => o.home),
      sharedCache: ctx.sharing.shared
    }),
    problem
  )
}

export function listImages(ctx: CacheContext): ImageHandle[] {
  const side = ctx.reads.get()
  if (!side) return []
  return ctx.reads.guard(() => side.queries.listRows().map((row) => toHandle(row)))
}

export function getImage(ctx: CacheContext, reference: string): ImageHandle {
  const side = ctx.reads.getOrNotFound(reference)
  return ctx.reads.guard(() => toHandle(side.queries.getRow(reference)))
}

export function inspectImage(ctx: CacheContext, reference: string): ImageDetail {
  const side = ctx.reads.getOrNotFound(reference)
  return ctx.reads.guard(() => side.queries.inspect(reference).detail)
}

export function insightOf(ctx: CacheContext, reference: string): ImageInsight {
  return imageInsight(ctx.reads, ctx.files, reference)
}

/** Who uses each image, from the database alone (image-use.ts): the window's first rows need no file. */
export function imageUses(ctx: CacheContext): ImageUse[] {
  const side = ctx.reads.get()
  if (!side) return []
  return ctx.reads.guard(() => side.db.transaction(() => readImageUses(side.db, side.queries.listReferences()))())
}

/** The window's first screen (first-rows.ts): its rows in opening order, who uses them, the count. */
export function firstRowsOf(ctx: CacheContext): FirstRows {
  const side = ctx.reads.get()
  if (!side) return { total: 0, images: [], uses: [] }
  return ctx.reads.guard(() =>
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
export function historyOf(ctx: CacheContext, reference: string): ImageHistory {
  return imageHistory(ctx.location.cacheDir, inspectImage(ctx, reference))
}

/** Each reference's build date, in list order: one metadata file read per reference. */
export function buildDatesOf(ctx: CacheContext): BuildDate[] {
  const cacheDir = ctx.location.cacheDir
  return listRows(ctx).map((r) => ({ reference: r.reference, builtAt: builtAtOf(cacheDir, r.reference, r.digest) }))
}

export function imageFilesOf(ctx: CacheContext, reference: string, layer?: number): ImageFiles {
  const detail = inspectImage(ctx, reference)
  // Layer trees are kept per cache directory; openDemo moves the core to another one.
  if (ctx.fileReader?.store.cacheDir !== ctx.location.cacheDir) {
    ctx.fileReader = new ImageFilesReader(new LayerStore(ctx.location.cacheDir))
  }
  return ctx.fileReader.read(detail, layer)
}

/** The disk usage, kept while the cache's revision stays the same when it came from the database. */
export function usageOf(ctx: CacheContext, options: CallOptions = {}): CacheUsage {
  const revision = ctx.revision()
  if (ctx.usageMemo?.revision === revision) return ctx.usageMemo.usage
  const onProgress = options.onProgress
  const onMeasured = onProgress && ((filesMeasured: number) => onProgress({ operation: 'usage', filesMeasured }))
  // The folders are stamped before the rows are read (listing-store.ts).
  const keep = ctx.listings?.begin(ctx.location) ?? null
  const folders = ctx.listings?.folders ?? null
  const { usage, fromDatabase } = cacheUsage(ctx.reads, ctx.files, ctx.planner, ctx.location, onMeasured, keep, folders)
  if (fromDatabase) ctx.usageMemo = { revision, usage }
  return usage
}

/**
 * The images and their own figures from one snapshot; the figures kept between runs of the built `ice`
 * while the rows and folders stay the same (listing-store.ts).
 */
export function listingOf(ctx: CacheContext): Listing {
  // The folders are stamped before the rows are read.
  const keep = ctx.listings?.begin(ctx.location) ?? null
  return listing(ctx.reads, ctx.files, keep, ctx.location, ctx.listings?.folders ?? null)
}

/** What removing `references` together frees: their remove plan's bytes, without the plan. */
export function selectionUsageFor(ctx: CacheContext, references: string[]): SelectionUsage {
  return selectionUsageOf(ctx.reads, ctx.files, ctx.planner, references)
}

/** The stored rows behind `list`, with msb's raw times (for msb-identical JSON in the CLI). */
export function listRows(ctx: CacheContext): StoredImageRow[] {
  const side = ctx.reads.get()
  return side ? ctx.reads.guard(() => side.queries.listRows()) : []
}

/** The stored rows behind `inspect` (for msb-identical JSON in the CLI). */
export function inspectRows(ctx: CacheContext, reference: string): ReturnType<ImageQueries['inspect']> {
  const side = ctx.reads.getOrNotFound(reference)
  return ctx.reads.guard(() => side.db.transaction(() => side.queries.inspect(reference))())
}
