// A confirmation deletes no more than the preview listed: a fresh decision, made inside the write
// transaction, is limited to the approved plan, and every difference is put into words for the report.
import type { DeletionPlan } from '../../../shared/contract'
import type { RowDecision } from './deletion-plan'

/**
 * Limits a fresh decision to what an approved plan listed, so a confirmed preview never deletes more
 * than the user saw; what differs is described for the report. The executor re-checks every manifest
 * and layer before deleting it, so a manifest whose reference was held back here is never cascaded.
 */
export function restrictTo(
  fresh: RowDecision,
  approved: DeletionPlan,
  /** reference → manifest id when the plan was made: a reference msb has since moved is left alone. */
  approvedTargets?: ReadonlyMap<string, number>,
  /** What earlier batches of this write already deleted (doneKeys): not a difference. */
  done: ReadonlySet<string> = new Set()
): { decision: RowDecision; differences: string[] } {
  const differences: string[] = []
  const refs = new Set(approved.references)
  const manifests = new Set(approved.manifests)
  const layers = new Set(approved.layers)
  const strays = new Set(approved.files.map((f) => f.path))
  const keep = <T>(items: T[], allowed: Set<string>, key: (t: T) => string, what: string) =>
    items.filter((item) => {
      const k = key(item)
      if (allowed.has(k)) return true
      differences.push(`${what} ${k} was not in the preview; left in place`)
      return false
    })
  // A reference msb moved to another image since the preview (a retag keeps the row id) is not the
  // image the user agreed to delete.
  const moved = new Set(
    fresh.refs
      .filter(
        (r) =>
          refs.has(r.reference) &&
          approvedTargets?.has(r.reference) &&
          approvedTargets.get(r.reference) !== r.manifestId
      )
      .map((r) => r.reference)
  )
  for (const r of moved)
    differences.push(`reference ${r} now points at another image than the preview showed; left in place`)
  const decision: RowDecision = {
    ...fresh,
    refs: keep(
      fresh.refs.filter((r) => !moved.has(r.reference)),
      refs,
      (r) => r.reference,
      'reference'
    ),
    manifests: keep(fresh.manifests, manifests, (m) => m.digest, 'manifest'),
    layers: keep(fresh.layers, layers, (l) => l.diffId, 'layer'),
    strays: keep(fresh.strays, strays, (f) => f.path, 'file')
  }
  const freshRefs = new Set(fresh.refs.map((r) => r.reference))
  for (const r of approved.references) {
    if (!freshRefs.has(r) && !done.has(`r:${r}`)) {
      const why = fresh.kept.find((k) => k.reference === r)
      differences.push(
        why
          ? `reference ${r} is now in use (${why.reason}: ${[...why.sandboxes.map((s) => s.name), ...why.snapshots].join(', ')}); kept`
          : `reference ${r} is no longer there or no longer removable; kept`
      )
    }
  }
  const freshManifests = new Set(fresh.manifests.map((m) => m.digest))
  for (const m of approved.manifests) {
    if (!freshManifests.has(m) && !done.has(`m:${m}`)) differences.push(`manifest ${m} is now needed; kept`)
  }
  return { decision, differences }
}

/** The keys `restrictTo` knows a decision's rows by, for the rows earlier batches deleted. */
export function doneKeys(decision: RowDecision): Set<string> {
  return new Set([
    ...decision.refs.map((r) => `r:${r.reference}`),
    ...decision.manifests.map((m) => `m:${m.digest}`),
    ...decision.layers.map((l) => `l:${l.diffId}`),
    ...decision.strays.map((f) => `f:${f.path}`)
  ])
}
