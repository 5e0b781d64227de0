// Which rows a prune of each scope deletes, in one place for the preview and the write. The dangling
// scope needs the cache's files (stray files), so the Cache passes it in.
import type { PruneScope, RuleChoice } from '../../shared/contract'
import { type CacheState } from './cache-state'
import { decidePruneImages, decidePruneUnused, type Indexes, type RowDecision } from './deletion-plan'
import { decidePruneRules } from './retention-rules'

export interface PruneDecision {
  decision: RowDecision
  /** With retention rules: the references they chose and why. */
  chosen?: RuleChoice[]
}

export function decidePruneScope(
  state: CacheState,
  ix: Indexes,
  scope: PruneScope,
  dangling: (state: CacheState, ix: Indexes) => RowDecision,
  nowMs: number
): PruneDecision {
  switch (scope.kind) {
    case 'unused':
      return { decision: decidePruneUnused(state, ix) }
    case 'images':
      return { decision: decidePruneImages(state, scope.references, ix) }
    case 'rules':
      return decidePruneRules(state, scope.rules, nowMs, ix)
    case 'dangling':
      return { decision: dangling(state, ix) }
  }
}
