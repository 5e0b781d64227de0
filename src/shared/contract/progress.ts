// Progress of long operations.

/**
 * How far a remove or prune has got. Files are first moved aside (then a short grace period lets a
 * concurrent msb claim one back), then unlinked; `filesMoved` and `filesRemoved` count those two
 * passes over the same `filesTotal` files. Sent at the start (phase `deciding`, totals unknown: 0),
 * at every phase change and at most every few tens of milliseconds in between.
 */
export interface WriteProgress {
  operation: 'remove' | 'prune'
  phase: 'deciding' | 'moving' | 'waiting' | 'removing' | 'done'
  filesTotal: number
  filesMoved: number
  filesRemoved: number
  /** Bytes the planned files hold, and bytes unlinked so far. */
  bytesTotal: number
  bytesFreed: number
}

/**
 * How far a cold `usage` has got measuring files (a count: how many files the cache holds is known
 * only once every directory has been read). Sent while files are being measured, and not at all when
 * the sizes were already known.
 */
export interface UsageProgress {
  operation: 'usage'
  filesMeasured: number
}

export type OperationProgress = WriteProgress | UsageProgress

export type ProgressListener = (progress: OperationProgress) => void
