// From a decision about rows to a plan a person can read: which rows go (deletion-plan.ts decides),
// which files go with them (the cache's own files plus, for a dangling prune, stray files old enough),
// and what that frees.
import type { DeletionPlan, PruneScope } from '../../shared/contract'
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
import { STRAY_MARGIN_MS, strayFiles } from './stray-files'
import { planBytes } from './usage'

export class Planner {
  constructor(
    private readonly files: CacheFiles,
    private readonly strayMarginMs = STRAY_MARGIN_MS
  ) {}

  decidePrune(state: CacheState, ix: Indexes, scope: PruneScope): RowDecision {
    if (scope.kind === 'unused') return decidePruneUnused(state, ix)
    if (scope.kind === 'images') return decidePruneImages(state, scope.references, ix)
    return this.dangling(state, ix)
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
