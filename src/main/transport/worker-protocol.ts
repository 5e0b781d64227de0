// Messages between the main thread and the core worker (structured clone, plain data only).
import type { AppState } from '../../shared/app-state'
import type { Operation, OperationProgress } from '../../shared/contract'
import type { SerializedError } from '../../shared/errors'

/** What the worker is started with (`workerData`). */
export interface CoreWorkerData {
  /** The app state as it is when this worker starts (a worker started after a crash keeps it). */
  state: AppState
  /** CacheOptions.sizeStoreDir of the worker's core. */
  sizeStoreDir?: string
  env: Record<string, string | undefined> | undefined
}

export type CoreCommand = { kind: 'call'; id: number; op: Operation; args: unknown } | { kind: 'close' }

export type CoreReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: SerializedError }
  /** While a remove or prune runs: how far it has got (the call's answer follows later). */
  | { id: number; progress: OperationProgress }
