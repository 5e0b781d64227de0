// The plans a user was shown, by fingerprint, so that a confirmation deletes no more than the preview
// listed (deletion-plan.ts `restrictTo`), with the manifest each planned reference pointed at, so a
// reference msb has moved since is left alone. Kept in memory by the Cache that made the plans.
import type { DeletionPlan } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import type { RowDecision } from './deletion-plan'

export interface ApprovedPlan {
  plan: DeletionPlan
  /** reference → manifest id it pointed at when the plan was made. */
  targets: ReadonlyMap<string, number>
}

/** A handful is plenty: a window shows one preview at a time. */
const KEPT = 16

export class ApprovedPlans {
  private readonly plans = new Map<string, ApprovedPlan>()

  remember<T extends DeletionPlan>(plan: T, decision: RowDecision): T {
    this.plans.set(plan.fingerprint, { plan, targets: new Map(decision.refs.map((r) => [r.reference, r.manifestId])) })
    if (this.plans.size > KEPT) this.plans.delete(this.plans.keys().next().value as string)
    return plan
  }

  /** The plan a confirmation names; none when it names none; `InvalidArgument` when it is unknown. */
  approved(fingerprint: string | undefined): ApprovedPlan | null {
    if (fingerprint === undefined) return null
    const plan = this.plans.get(fingerprint)
    if (!plan) {
      throw new CacheError('InvalidArgument', 'the preview this confirms is no longer known; preview again', {
        fingerprint
      })
    }
    return plan
  }

  clear(): void {
    this.plans.clear()
  }
}
