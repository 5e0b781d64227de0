// The operation table: every contract operation once, with what the transports need to know about it.
//
//   weight  'light' answers from a few indexed rows and runs in the Electron main process; 'heavy' walks
//           the cache directory, deletes files or runs msb, and goes to the worker thread
//           (src/main/transport/operation-weight.ts). A plan and its execution must reach the same core
//           (it remembers the plans it showed), so removePlan/remove and prunePlan/prune are all heavy.
//   progress  true where the operation reports progress while it runs (remove, prune and usage): the
//           call carries a listener over IPC, or asks the HTTP server for a streamed answer.
//           `ProgressOperation` is derived from it.
//   appState  true where the operation changes the app state (src/shared/app-state.ts: which home is
//           open, the demo, the homes sharing the cache). It answers the new status; the desktop session
//           runs it in the worker and hands the state it reads from the answer to the in-process core
//           (and to any worker started later). The compiler checks below that such an operation answers
//           a CacheStatus and is heavy (the worker runs it first).
//   args    the names of the argument's fields; argument-schemas.ts turns them into zod schemas, and the
//           compiler checks below that they are exactly the contract's argument type.
//
// Plain data, no zod: the preload and the renderer's client build their objects from this table
// without bundling a validator (validation happens in main). Adding an operation: one line in
// `CacheApi` (contract/api.ts), one line here, one function in the core.
import type { ArgsOf, CacheStatus, Operation, PruneScope, ResultOf } from './contract'

/** Every argument field any operation takes, with its type (argument-schemas.ts has its zod schema). */
export interface ArgumentTypes {
  reference: string
  references: string[]
  force: boolean
  fingerprint?: string
  scope: PruneScope
  homes: string[]
  /** flatPlan, reclaimFlat: references being removed (may be none), whose images' flat artifacts count as unused. */
  removing: string[]
  /** reclaimFlat: cache-relative paths of the flat artifacts a flatPlan listed. */
  paths: string[]
  /** imageFiles: a layer's position (0 = bottom); absent for the merged view. */
  layer?: number
}
export type ArgumentName = keyof ArgumentTypes

export interface OperationTraits {
  weight: 'light' | 'heavy'
  progress?: true
  appState?: true
  args: readonly ArgumentName[]
}

export const OPERATION_TABLE = {
  status: { weight: 'light', args: [] },
  list: { weight: 'light', args: [] },
  get: { weight: 'light', args: ['reference'] },
  inspect: { weight: 'light', args: ['reference'] },
  insight: { weight: 'heavy', args: ['reference'] },
  history: { weight: 'light', args: ['reference'] },
  buildDates: { weight: 'heavy', args: [] },
  imageFiles: { weight: 'heavy', args: ['reference', 'layer'] },
  selectionUsage: { weight: 'heavy', args: ['references'] },
  imageUse: { weight: 'light', args: [] },
  firstRows: { weight: 'light', args: [] },
  usage: { weight: 'heavy', progress: true, args: [] },
  removePlan: { weight: 'heavy', args: ['references', 'force'] },
  remove: { weight: 'heavy', progress: true, args: ['references', 'force', 'fingerprint'] },
  prunePlan: { weight: 'heavy', args: ['scope'] },
  prune: { weight: 'heavy', progress: true, args: ['scope', 'fingerprint'] },
  flatPlan: { weight: 'heavy', args: ['removing'] },
  reclaimFlat: { weight: 'heavy', args: ['removing', 'paths'] },
  openDemo: { weight: 'heavy', appState: true, args: [] },
  closeDemo: { weight: 'heavy', appState: true, args: [] },
  // Heavy: plans are made in the worker, which must know the homes sharing the cache (the desktop
  // session hands the app state to the in-process core as well).
  shareCacheWith: { weight: 'heavy', appState: true, args: ['homes'] }
} as const satisfies { [K in Operation]: OperationTraits }

// ---- The compiler keeps the table and the contract in step ----

/** The argument object an `args` list describes. */
export type ArgsFromNames<N extends ArgumentName> = Pick<ArgumentTypes, N>
type TableArgs<K extends Operation> = ArgsFromNames<(typeof OPERATION_TABLE)[K]['args'][number]>
type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
/** The field names of an argument type (`Record<string, never>`, the contract's "no argument", has none). */
type FieldsOf<T> = string extends keyof T ? never : keyof T
type SameArgs<A, B> = SameType<A, B> extends true ? SameType<FieldsOf<A>, FieldsOf<B>> : false
/** Operations whose `args` list does not describe the contract's argument type exactly (must be none). */
type ArgsMismatch = { [K in Operation]: SameArgs<TableArgs<K>, ArgsOf<K>> extends true ? never : K }[Operation]
const argsMatchContract: [ArgsMismatch] extends [never] ? true : ArgsMismatch = true
void argsMatchContract

/** The operations whose table entry has `K: true` (`progress`, `appState`). */
type Marked<K extends 'progress' | 'appState'> = {
  [Op in Operation]: (typeof OPERATION_TABLE)[Op] extends { readonly [P in K]: true } ? Op : never
}[Operation]

/** Operations that report progress while they run (over every transport). */
export type ProgressOperation = Marked<'progress'>

/** Operations that change the app state (which home is open, the demo, the homes sharing the cache). */
export type AppStateOperation = Marked<'appState'>

/** App-state operations that do not answer a status, or are not heavy (must be none). */
type AppStateMismatch = {
  [K in AppStateOperation]: [ResultOf<K>] extends [CacheStatus]
    ? (typeof OPERATION_TABLE)[K]['weight'] extends 'heavy'
      ? never
      : K
    : K
}[AppStateOperation]
const appStateAnswersStatus: [AppStateMismatch] extends [never] ? true : AppStateMismatch = true
void appStateAnswersStatus

// ---- Derived lists ----

export const OPERATIONS = Object.keys(OPERATION_TABLE) as Operation[]

export const APP_STATE_OPERATIONS = OPERATIONS.filter(
  (op) => (OPERATION_TABLE[op] as OperationTraits).appState === true
) as AppStateOperation[]

export const HEAVY_OPERATIONS: ReadonlySet<Operation> = new Set(
  OPERATIONS.filter((op) => OPERATION_TABLE[op].weight === 'heavy')
)

const PROGRESS_OPERATIONS: ReadonlySet<Operation> = new Set(
  OPERATIONS.filter((op) => (OPERATION_TABLE[op] as OperationTraits).progress === true)
)

/** Whether `op` reports progress while it runs (the table's `progress`). */
export function reportsProgress(op: Operation): op is ProgressOperation {
  return PROGRESS_OPERATIONS.has(op)
}

export function isOperation(name: string): name is Operation {
  return Object.prototype.hasOwnProperty.call(OPERATION_TABLE, name)
}

/**
 * The Electron IPC channel on which main sends a call's progress to the page that made it, as
 * `(callId, OperationProgress)`; the call id is the one the preload passed with the call.
 */
export const PROGRESS_CHANNEL = 'cache:progress'

/** The Electron IPC channel of an operation. */
export function channelOf(op: Operation): string {
  return `cache:${op}`
}
