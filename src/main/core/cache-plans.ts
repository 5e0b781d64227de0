// The Cache's plans: what a remove or a prune would delete, computed in one read transaction and
// remembered by fingerprint (approved-plans.ts) so its confirmation deletes no more than was shown.
import type { DeletionPlan, PrunePlan, PruneScope, RemovePlan } from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import type { CacheContext } from './cache-context'
import { readCacheState } from './database/cache-state'
import { CacheFiles } from './files/cache-files'
import { decideRemove, indexState } from './planning/deletion-plan'
import { compileRules } from './planning/retention-rules'
import { readTouchedState } from './planning/touched-state'
import { delegatedArgs, needsMsb } from './writing/msb-delegation'

export function removePlanOf(ctx: CacheContext, references: string[], force: boolean): RemovePlan {
  const side = ctx.reads.getOrNotFound(references[0] ?? '')
  const plan = ctx.reads.guard(() =>
    ctx.files.within(
      side.db.transaction(() => {
        // Only what these images touch (touched-state.ts), and one lstat per file of theirs instead
        // of a scan of the cache (CacheFiles.perFile): a plan costs in proportion to the images.
        const { state, ix } = readTouchedState(side.db, references)
        const decision = decideRemove(state, references, force, ix)
        const files = new CacheFiles(ctx.location.cacheDir, { perFile: true })
        const plan = ctx.planner.plan(state, decision, files)
        return ctx.approvedPlans.remember({ ...plan, force, heldBy: decision.heldBy }, decision)
      })
    )
  )
  return noteDelegation(ctx, plan, delegatedArgs('remove', plan, force))
}

export function prunePlanOf(ctx: CacheContext, scope: PruneScope): PrunePlan {
  if (scope.kind === 'rules') compileRules(scope.rules)
  const side = ctx.reads.get()
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
  const plan = ctx.reads.guard(() =>
    ctx.files.within(
      side.db.transaction(() => {
        const state = readCacheState(side.db)
        const ix = indexState(state)
        const { decision, chosen } = ctx.planner.decidePruneExplained(state, ix, scope)
        return ctx.approvedPlans.remember(
          { ...ctx.planner.plan(state, decision), scope, ...(chosen ? { chosen } : {}) },
          decision
        )
      })
    )
  )
  if (scope.kind === 'dangling') return plan
  return noteDelegation(ctx, plan, delegatedArgs(scope.kind === 'unused' ? 'prune-unused' : 'prune-chosen', plan))
}

/** On a home the explorer does not know, a plan says which msb will carry it out, and how (or which msb it needs). */
function noteDelegation<T extends DeletionPlan>(ctx: CacheContext, plan: T, args: string[]): T {
  if (ctx.reads.get()?.schema.kind !== 'unknown') return plan
  const choice = ctx.msbChoice()
  if (!choice) return plan
  const note = choice.use
    ? `this home's schema is newer than the explorer knows: msb ${choice.use.version ?? ''} (${choice.use.path}) will do it, running \`msb ${args.join(' ')}\`, and the result is shown beside this preview`
    : needsMsb(choice)
  return { ...plan, notes: [...plan.notes, note] }
}
