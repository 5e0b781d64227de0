// The Cache's writes: remove and prune. On a home the explorer knows, one short transaction per batch,
// rows before files (write-operation.ts), limited to the plan the user approved; on a home whose
// migrations it does not know, through an installed msb that knows them (msb-delegation.ts).
import type Database from 'better-sqlite3'
import type {
  CallOptions,
  DelegatedOutcome,
  DeletionPlan,
  PruneResult,
  PruneScope,
  RemoveResult
} from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import type { CacheContext } from './cache-context'
import { prunePlanOf, removePlanOf } from './cache-plans'
import { type CacheState, readCacheState } from './database/cache-state'
import { readSchemaState } from './database/schema'
import { ProgressReporter } from './files/progress-reporter'
import type { ApprovedPlan } from './planning/approved-plans'
import {
  decideRemove,
  decideRemoveContinued,
  type Indexes,
  indexState,
  type RemovalScope,
  type RowDecision,
  scopeOf
} from './planning/deletion-plan'
import { restrictTo } from './planning/plan-restriction'
import { compileRules } from './planning/retention-rules'
import { readTouchedState } from './planning/touched-state'
import {
  delegatedArgs,
  type MsbBinary,
  needsMsb,
  pruneReportOf,
  refusedOrDone,
  removeResultOf,
  runDelegated
} from './writing/msb-delegation'
import { emptyReport, pruneReport, recoveryNotes } from './writing/prune-report'
import {
  type Decided,
  runWrite,
  type WriteDecide,
  type WriteOptions,
  type WriteOutcome,
  type WriteStep
} from './writing/write-operation'

export interface RemoveArgs {
  references: string[]
  force: boolean
  fingerprint?: string
}

export function removeImages(
  ctx: CacheContext,
  { references, force, fingerprint }: RemoveArgs,
  options: CallOptions = {}
): RemoveResult {
  const progress = new ProgressReporter('remove', options.onProgress)
  progress.start()
  const side = ctx.reads.getOrNotFound(references[0] ?? '')
  const through = writer(ctx)
  if (through) {
    const plan = removePlanOf(ctx, references, force)
    const done = delegate(ctx, through, delegatedArgs('remove', plan, force), plan, side.db, fingerprint)
    return removeResultOf(done, plan.heldBy)
  }
  const approved = ctx.approvedPlans.approved(fingerprint)
  // Reads only what these images touch, like the plan: one image costs in proportion to it. Later batches
  // (more than 48 files: removal-leases.ts) read the whole state, as the references may be gone by then.
  let frozen: { scope: RemovalScope; manifestOf: Map<string, number> } | null = null
  const read = (db: Database.Database, { batch }: WriteStep) =>
    batch === 0 ? readTouchedState(db, references) : readWhole(db)
  const outcome = write(
    ctx,
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
      return restricted(decision, approved, done)
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

export function pruneImages(
  ctx: CacheContext,
  { scope, fingerprint }: { scope: PruneScope; fingerprint?: string },
  options: CallOptions = {}
): PruneResult {
  const progress = new ProgressReporter('prune', options.onProgress)
  progress.start()
  // A rule that does not parse fails here, before anything is opened for writing.
  if (scope.kind === 'rules') compileRules(scope.rules)
  if (!ctx.reads.get()) {
    if (scope.kind === 'images') throw new CacheError('ImageNotFound', `image not found: ${scope.references[0]}`)
    return { report: emptyReport(), differences: [] }
  }
  const through = writer(ctx)
  if (through) return delegatedPrune(ctx, through, scope, fingerprint)
  const approved = ctx.approvedPlans.approved(fingerprint)
  const outcome = write(ctx, progress, undefined, (state, ix, _files, { done }) =>
    restricted(ctx.planner.decidePrune(state, ix, scope), approved, done)
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
 * The msb that does this home's writes: null when the explorer knows the schema and writes itself;
 * a refusal naming the msb needed when neither it nor an installed msb knows it.
 */
function writer(ctx: CacheContext): MsbBinary | null {
  const side = ctx.reads.get()
  if (!side) return null
  side.schema = ctx.reads.guard(() => readSchemaState(side.db))
  if (side.schema.kind !== 'unknown') return null
  const choice = ctx.msbChoice()
  if (choice?.use) return choice.use
  throw new CacheError(
    'SchemaUnsupported',
    `refusing to change the cache: ${side.schema.reason}; ${choice ? needsMsb(choice) : ''}`,
    { schema: side.schema }
  )
}

/**
 * A prune on a home the explorer does not know, through msb: msb's own prune for every unused image;
 * for chosen images or rules, `msb image rm` of the references the explorer's plan chose. A
 * dangling-only prune has no msb equivalent (msb's prune takes every unused image): refused.
 */
function delegatedPrune(ctx: CacheContext, through: MsbBinary, scope: PruneScope, fingerprint?: string): PruneResult {
  if (scope.kind === 'dangling') {
    throw new CacheError(
      'Unsupported',
      `a dangling-only prune cannot be handed to msb ${through.version ?? ''} (its prune removes every unused image); nothing was changed`
    )
  }
  const plan = prunePlanOf(ctx, scope)
  const side = ctx.reads.getOrNotFound('')
  if (scope.kind !== 'unused' && plan.references.length === 0) return { report: emptyReport(), differences: [] }
  const kind = scope.kind === 'unused' ? 'prune-unused' : 'prune-chosen'
  const done = delegate(ctx, through, delegatedArgs(kind, plan), plan, side.db, fingerprint)
  return { report: pruneReportOf(done), differences: done.differences, delegated: done }
}

/** Runs msb for `plan`; a run that failed having changed nothing is msb's refusal, said in its words. */
function delegate(
  ctx: CacheContext,
  through: MsbBinary,
  args: string[],
  plan: DeletionPlan,
  db: Database.Database,
  fingerprint?: string
): DelegatedOutcome {
  const done = ctx.reads.guard(() => runDelegated(ctx.location, db, through, args, plan, ctx.env))
  ctx.usageMemo = null
  if (fingerprint && fingerprint !== plan.fingerprint)
    done.differences.unshift('the cache changed after the preview was shown; msb acted on the cache as it was')
  return refusedOrDone(done)
}

/** The fresh decision limited to the approved plan (if any), rows and files alike. */
function restricted(fresh: RowDecision, approved: ApprovedPlan | null, done?: ReadonlySet<string>): Decided {
  if (!approved) return { decision: fresh, differences: [] }
  return {
    ...restrictTo(fresh, approved.plan, approved.targets, done),
    allowedFiles: new Set(approved.plan.files.map((f) => f.path))
  }
}

/** runWrite checks the schema and msb's lease itself, on the write connection, at the moment of writing. */
function write(
  ctx: CacheContext,
  progress: ProgressReporter,
  read: WriteOptions['read'],
  decide: WriteDecide,
  busy: WriteOptions['busy'] = 'skip'
): WriteOutcome {
  try {
    const options = ctx.options
    return runWrite(
      ctx.location,
      {
        graceMs: options.graceMs ?? 250,
        graceAlways: options.graceAlways,
        graceWait: options.graceWait,
        busyTimeoutMs: options.busyTimeoutMs,
        leaseWaitMs: options.leaseWaitMs,
        leaseBatch: options.leaseBatch,
        sharing: ctx.sharing,
        progress,
        read,
        busy
      },
      decide
    )
  } finally {
    ctx.usageMemo = null
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
