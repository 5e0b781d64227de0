// Retention rules for prune: which references no sandbox or snapshot uses the user's rules choose.
//   - unusedFor: the last use (msb's `image_ref.updated_at`, its `lastUsedAt`) is older than now minus it;
//   - keepLast N: within each repository, all but the N most recently used (every reference of the
//     repository is ranked, pinned ones too, so "4th most recent" means what it says);
//   - keep patterns: a reference matching one (as stored or normalised) is never chosen.
// A reference goes when every rule given chooses it. What then goes with it is decided by the same
// path as a prune of chosen images (deletion-plan.ts), so data another reference, a sandbox or a
// snapshot needs stays, and the preview, fingerprint and confirmation work as for every prune.
import type { KeptImage, RetentionRules, RuleChoice } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import { compileGlob, matchGlob } from '../../../shared/glob'
import { describeIdle, describeRank, keepPatternProblem, parseDuration } from '../../../shared/retention'
import { type CacheState, pinsOf, type RefRecord } from '../database/cache-state'
import { decidePruneImages, type Indexes, indexState, type RowDecision } from './deletion-plan'
import { normalizeReference, repositoryOf } from '../homes/reference-key'
import { dbTimeToIso } from '../database/timestamps'

export interface RulesDecision {
  decision: RowDecision
  chosen: RuleChoice[]
}

interface CompiledRules {
  unusedForMs: number | null
  unusedFor: string | null
  keepLast: number | null
  keep: { pattern: string; matches: (s: string) => boolean }[]
}

/** Checks and compiles the rules; a duration or pattern that does not parse is `InvalidArgument`. */
export function compileRules(rules: RetentionRules): CompiledRules {
  let unusedForMs: number | null = null
  if (rules.unusedFor !== undefined) {
    const parsed = parseDuration(rules.unusedFor)
    if ('error' in parsed)
      throw new CacheError('InvalidArgument', `unused-for: ${parsed.error}`, { unusedFor: rules.unusedFor })
    unusedForMs = parsed.ms
  }
  const keep = (rules.keep ?? []).map((pattern) => {
    // Matched by an automaton, never a backtracking RegExp: no pattern can make a match take long (glob.ts).
    const problem = keepPatternProblem(pattern)
    if (problem) throw new CacheError('InvalidArgument', problem, { pattern })
    const glob = compileGlob(pattern)
    return { pattern, matches: (s: string) => matchGlob(glob, s) }
  })
  if (unusedForMs === null && rules.keepLast === undefined && keep.length === 0) {
    throw new CacheError('InvalidArgument', 'give at least one rule: unused-for, keep-last or keep')
  }
  return { unusedForMs, unusedFor: rules.unusedFor?.trim() ?? null, keepLast: rules.keepLast ?? null, keep }
}

function lastUseMs(ref: RefRecord): number | null {
  const iso = dbTimeToIso(ref.updatedAt)
  const ms = iso === null ? NaN : Date.parse(iso)
  return Number.isFinite(ms) ? ms : null
}

/** Rank within each repository: 1 = most recently used; unknown last use counts as oldest. */
function rankRefs(refs: RefRecord[]): Map<number, { repository: string; rank: number; lastUse: number | null }> {
  const groups = new Map<string, { ref: RefRecord; lastUse: number | null }[]>()
  for (const ref of refs) {
    const repository = repositoryOf(ref.reference)
    const list = groups.get(repository) ?? []
    list.push({ ref, lastUse: lastUseMs(ref) })
    groups.set(repository, list)
  }
  const out = new Map<number, { repository: string; rank: number; lastUse: number | null }>()
  for (const [repository, list] of groups) {
    // Ties (msb's times have sub-millisecond digits, so only equal-by-hand rows tie): the newer row first.
    list.sort((a, b) => (b.lastUse ?? -Infinity) - (a.lastUse ?? -Infinity) || b.ref.id - a.ref.id)
    list.forEach((e, i) => out.set(e.ref.id, { repository, rank: i + 1, lastUse: e.lastUse }))
  }
  return out
}

export function decidePruneRules(
  state: CacheState,
  rules: RetentionRules,
  nowMs: number,
  ix: Indexes = indexState(state)
): RulesDecision {
  const compiled = compileRules(rules)
  const ranks = rankRefs(state.refs)
  const chosen: RuleChoice[] = []
  const kept: KeptImage[] = []
  for (const ref of state.refs) {
    const manifest = ix.manifestById.get(ref.manifestId)
    if (!manifest) continue
    const pins = pinsOf(state, manifest)
    const base = {
      reference: ref.reference,
      manifestDigest: manifest.digest,
      sandboxes: pins.sandboxes,
      snapshots: pins.snapshots
    }
    if (pins.sandboxes.length > 0 || pins.snapshots.length > 0) {
      kept.push({ ...base, reason: pins.sandboxes.length > 0 ? 'sandbox' : 'snapshot' })
      continue
    }
    const { repository, rank, lastUse } = ranks.get(ref.id)!
    const why: string[] = []
    const keptBecause: string[] = []
    if (compiled.unusedForMs !== null) {
      const idle = lastUse === null ? null : nowMs - lastUse
      if (idle !== null && idle > compiled.unusedForMs) why.push(describeIdle(idle))
      else
        keptBecause.push(
          idle === null ? 'last use unknown' : `${describeIdle(Math.max(0, idle))}, not over ${compiled.unusedFor}`
        )
    }
    if (compiled.keepLast !== null) {
      if (rank > compiled.keepLast) why.push(describeRank(rank, repository))
      else keptBecause.push(describeRank(rank, repository))
    }
    if (compiled.keep.length > 0) {
      const normalised = normalizeReference(ref.reference)
      const hit = compiled.keep.find((k) => k.matches(ref.reference) || (normalised !== null && k.matches(normalised)))
      if (hit) keptBecause.push(`matches keep pattern ${hit.pattern}`)
      else why.push('matches no keep pattern')
    }
    if (keptBecause.length > 0) kept.push({ ...base, reason: 'rule', why: keptBecause })
    else chosen.push({ reference: ref.reference, repository, lastUsedAt: dbTimeToIso(ref.updatedAt), rank, why })
  }
  const decision = decidePruneImages(
    state,
    chosen.map((c) => c.reference),
    ix
  )
  decision.kept = [...kept, ...decision.kept]
  // The plan lists references in the decision's order; the explanations follow it.
  const byName = new Map(chosen.map((c) => [c.reference, c]))
  return { decision, chosen: decision.refs.map((r) => byName.get(r.reference)!) }
}
