// From a decision about rows to a plan a person can read: which rows go (deletion-plan.ts decides),
// which files go with them (the cache's own files plus, for a dangling prune, stray files old enough),
// and what that frees.
import type { DeletionPlan, PruneScope, RuleChoice } from '../../shared/contract'
import type { CacheFiles } from './cache-files'
import type { CacheState } from './cache-state'
import {
  decidePruneDangling,
  decidePruneImages,
  decidePruneUnused,
  type FileTarget,
  filesOf,
  type Indexes,
  type RowDecision,
  toDeletionPlan
} from './deletion-plan'
import { decidePruneRules } from './retention-rules'
import { STRAY_MARGIN_MS, strayFiles } from './stray-files'
import { planBytes } from './usage'

export interface PruneDecision {
  decision: RowDecision
  /** With retention rules: the references they chose and why. */
  chosen?: RuleChoice[]
}

export class Planner {
  constructor(
    private readonly files: CacheFiles,
    private readonly strayMarginMs = STRAY_MARGIN_MS
  ) {}

  decidePrune(state: CacheState, ix: Indexes, scope: PruneScope): RowDecision {
    return this.decidePruneExplained(state, ix, scope).decision
  }

  /** The decision, and for retention rules which references they chose and why (judged against now). */
  decidePruneExplained(state: CacheState, ix: Indexes, scope: PruneScope): PruneDecision {
    switch (scope.kind) {
      case 'unused':
        return { decision: decidePruneUnused(state, ix) }
      case 'images':
        return { decision: decidePruneImages(state, scope.references, ix) }
      case 'rules':
        return decidePruneRules(state, scope.rules, Date.now(), ix)
      case 'dangling':
        return { decision: this.dangling(state, ix) }
    }
  }

  dangling(state: CacheState, ix: Indexes): RowDecision {
    const decision = decidePruneDangling(state, ix)
    decision.strays = strayFiles(state, decision, this.files, Date.now(), this.strayMarginMs)
    return decision
  }

  plan(state: CacheState, decision: RowDecision): DeletionPlan {
    const files: FileTarget[] = [
      ...filesOf(decision, state, this.files),
      ...decision.strays.map((s) => ({ ...s, locks: [] }))
    ]
    return toDeletionPlan(decision, files)
  }

  /** `plan(…).totalBytes` without building the plan (no file list, no fingerprint): usage needs only the sum. */
  planBytes(state: CacheState, decision: RowDecision): number {
    return planBytes(decision, state, this.files)
  }
}
