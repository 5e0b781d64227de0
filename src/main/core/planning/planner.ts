// Turns row decisions into plans: which files go, which a shared cache keeps, and what a dangling
// prune finds unreferenced. Used for previews (and the disk-usage totals) with the same rules the
// write applies inside its transaction.
import type { DeletionPlan, PruneScope, RuleChoice } from '../../../shared/contract'
import type { CacheFiles } from '../files/cache-files'
import type { CacheState } from '../database/cache-state'
import {
  decidePruneDangling,
  decidePruneImages,
  decidePruneUnused,
  type Indexes,
  type RowDecision
} from './deletion-plan'
import { filesOf, plannedBytes, toDeletionPlan } from './plan-files'
import { keepShared, type Sharing } from './shared-cache'
import { decidePruneRules } from './retention-rules'
import { STRAY_MARGIN_MS, strayFiles } from '../files/stray-files'
import { type ClaimedFiles, unownedClaims } from '../files/unowned-metadata'

export interface PruneDecision {
  decision: RowDecision
  /** With retention rules: the references they chose and why. */
  chosen?: RuleChoice[]
}

export class Planner {
  constructor(
    private readonly files: CacheFiles,
    private readonly sharing: Sharing,
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

  /**
   * Unreferenced files are looked for only where every home that may use them is known: never in a
   * shared cache whose other homes were not named, and never one a named home uses. `claimed`: the
   * caller's unownedClaims of this state, when it has them.
   */
  dangling(state: CacheState, ix: Indexes, claimed?: ClaimedFiles): RowDecision {
    const decision = decidePruneDangling(state, ix)
    if (this.sharing.shared && this.sharing.others.length === 0) return decision
    // A file an unowned image record names is not stray: it may be another home's, or a pull's in progress.
    claimed ??= unownedClaims(state, this.files.cacheDir)
    const strays = strayFiles(state, this.files, Date.now(), this.strayMarginMs).filter((s) => !claimed.has(s.path))
    decision.strays = keepShared(
      strays.map((s) => ({ ...s, locks: [] })),
      this.sharing
    ).doomed.map(({ kind, path, bytes }) => ({ kind, path, bytes }))
    return decision
  }

  /** `cacheFiles`: a per-file view for a remove plan (one lstat per file it names); else the scans. */
  plan(state: CacheState, decision: RowDecision, cacheFiles: CacheFiles = this.files): DeletionPlan {
    const planned = [
      ...filesOf(decision, state, cacheFiles, undefined, false),
      ...decision.strays.map((s) => ({ ...s, locks: [] }))
    ]
    // With the scans (a prune plan), the records come from the scan of `manifests` the plan has just read;
    // a per-file view (a remove plan) lists the folder instead of scanning it.
    const claimed = cacheFiles === this.files ? this.claims(state) : unownedClaims(state, this.files.cacheDir)
    const { doomed, kept } = keepShared(planned, this.sharing, claimed)
    return toDeletionPlan(decision, doomed, kept, this.notes())
  }

  /**
   * `plan(…).totalBytes` without building the plan (no fingerprint, and in a cache that keeps no file
   * back, no file list either: usage needs only the sum). `claimed` as for `dangling`.
   */
  planBytes(state: CacheState, decision: RowDecision, claimed?: ClaimedFiles): number {
    claimed ??= unownedClaims(state, this.files.cacheDir)
    const strayBytes = decision.strays.reduce((n, f) => n + f.bytes, 0)
    // keepShared keeps nothing back here, so every planned file is doomed.
    if (!this.sharing.shared && claimed.size === 0) return plannedBytes(decision, state, this.files) + strayBytes
    const planned = [
      ...filesOf(decision, state, this.files, undefined, false),
      ...decision.strays.map((s) => ({ ...s, locks: [] }))
    ]
    return keepShared(planned, this.sharing, claimed).doomed.reduce((n, f) => n + f.bytes, 0)
  }

  /** The unowned image records of `state`, read from this view's scan of the `manifests` directory. */
  claims(state: CacheState): ClaimedFiles {
    return unownedClaims(state, this.files.cacheDir, this.files.scan('manifests').keys())
  }

  private notes(): string[] {
    if (!this.sharing.shared) return []
    const cacheDir = this.files.cacheDir
    if (this.sharing.others.length === 0) {
      return [
        `The cache ${cacheDir} is not inside this home, so other homes may share it: every file is kept and unreferenced files are not looked for. Name the homes that share it (--also-home DIR) to reclaim them.`
      ]
    }
    return [
      `The cache ${cacheDir} is shared with ${this.sharing.others.map((o) => o.home).join(', ')}: files any of them uses are kept.`
    ]
  }
}
