// The contract: every operation, its one argument object and its one result, and the transport shapes.

import type { ImageFiles } from './files'
import type { BuildDate, ImageHistory } from './history'
import type { ImageDetail, ImageHandle } from './images'
import type { PrunePlan, PruneResult, PruneScope, RemovePlan, RemoveResult } from './plans'
import type { ProgressListener } from './progress'
import type { CacheStatus } from './status'
import type {
  CacheUsage,
  FirstRows,
  FlatPlan,
  FlatReclaimResult,
  ImageInsight,
  ImageUse,
  SelectionUsage
} from './usage'

export interface CacheApi {
  status(args: Record<string, never>): CacheStatus
  list(args: Record<string, never>): ImageHandle[]
  get(args: { reference: string }): ImageHandle
  inspect(args: { reference: string }): ImageDetail
  insight(args: { reference: string }): ImageInsight
  /** Database facts only: answers in milliseconds where `usage` measures every file first. */
  imageUse(args: Record<string, never>): ImageUse[]
  /** The first screen's rows, who uses them and the image count, for a window still loading the rest. */
  firstRows(args: Record<string, never>): FirstRows
  /** The build steps of an image and the layer each made, from msb's copy of its config. */
  history(args: { reference: string }): ImageHistory
  /** Every reference's build date (its config's `created`), in `list` order; reads one small file per image. */
  buildDates(args: Record<string, never>): BuildDate[]
  /** The merged file tree of an image (layer omitted) or one layer's entries with their changes. */
  imageFiles(args: { reference: string; layer?: number }): ImageFiles
  usage(args: Record<string, never>): CacheUsage
  selectionUsage(args: { references: string[] }): SelectionUsage
  removePlan(args: { references: string[]; force: boolean }): RemovePlan
  remove(args: { references: string[]; force: boolean; fingerprint?: string }): RemoveResult
  prunePlan(args: { scope: PruneScope }): PrunePlan
  prune(args: { scope: PruneScope; fingerprint?: string }): PruneResult
  /** The unused flat rootfs artifacts, counting the images of `removing` (references being removed; may be none) as gone. */
  flatPlan(args: { removing: string[] }): FlatPlan
  /** Deletes the planned unused flat artifacts (`paths`: their refPath, or blobPath for an orphan) under msb's locks. */
  reclaimFlat(args: { removing: string[]; paths: string[] }): FlatReclaimResult
  /**
   * Builds a small demo cache with msb in a new temporary home (never ~/.microsandbox) and switches
   * the explorer to it; answers the new home's status. `Unsupported` when msb is not installed.
   */
  openDemo(args: Record<string, never>): CacheStatus
  /** Leaves the demo cache for the home open before it, and deletes the demo's temporary home. */
  closeDemo(args: Record<string, never>): CacheStatus
  /**
   * Names the other homes whose `paths.cache` is this home's cache (replacing those named before; `[]`
   * names none). Their databases are then read before any file is deleted, and a file any of them uses
   * stays. `InvalidArgument` when a home keeps its cache elsewhere. Answers the status.
   */
  shareCacheWith(args: { homes: string[] }): CacheStatus
}

export type Operation = keyof CacheApi
export type ArgsOf<K extends Operation> = Parameters<CacheApi[K]>[0]
export type ResultOf<K extends Operation> = ReturnType<CacheApi[K]>

export interface CallOptions {
  /** Called with progress events while a remove, prune or usage runs; ignored by other operations. */
  onProgress?: ProgressListener
}

/** The contract as a transport sees it: every call is asynchronous. */
export type AsyncCacheApi = { [K in Operation]: (args: ArgsOf<K>, options?: CallOptions) => Promise<ResultOf<K>> }

/**
 * What a transport can call: the core itself, which answers directly (or with a promise where it must
 * load code first, as `openDemo` does), or a proxy to it in another thread (`AsyncCacheApi`).
 * Transports await every call, so both shapes fit.
 */
export type CallableCacheApi = {
  [K in Operation]: (args: ArgsOf<K>, options?: CallOptions) => ResultOf<K> | Promise<ResultOf<K>>
}
