// `rm REF…`: one transaction and at most one grace period for all the references, however many
// (each its own write cost a 250 ms grace apiece: 100 references took 32 s). Like `msb image rm`, a
// reference that cannot go (not found, or in use without --force) is reported and the rest are still
// removed: those are taken out and the others removed together.
import type { RemoveResult } from '../../shared/contract'
import { CacheError, type SerializedError, serializeError } from '../../shared/errors'
import { artifactKey, type Cache } from '../core/cache'
import type { FlatPlan } from '../../shared/contract'
import { describeFlatPlan, describeFlatReclaim } from './flat-output'
import { describePlan, describeRemove } from './human'
import { prettyJson } from './msb-json'
import { progressLine } from './progress-line'
import { escapeOutput } from './terminal-text'
import { explained } from './cli-errors'

export interface RemoveFlags {
  force: boolean
  json: boolean
  dryRun: boolean
  /** Also delete the removed images' flat rootfs artifacts (and only those). */
  flat?: boolean
}

export interface RemoveFailure {
  reference: string
  error: SerializedError
}

export function removeCommand(
  cache: Cache,
  references: string[],
  flags: RemoveFlags,
  out: (t: string) => void
): number {
  // Their flat artifacts, counted as going with them (planned before the rows go, so only theirs).
  const flat = flags.flat ? ownFlat(cache, references) : null
  if (flags.dryRun) {
    const plan = cache.removePlan({ references, force: flags.force })
    if (flags.json) out(prettyJson(flat ? { ...plan, flat } : plan))
    else out(describePlan(plan, 'remove') + (flat ? `\n${describeFlatPlan(flat)}` : ''))
    return 0
  }
  const progress = progressLine(process.stderr, flags.json)
  const failed: RemoveFailure[] = []
  let pending = [...new Set(references)]
  let result: RemoveResult | null = null
  try {
    while (pending.length > 0) {
      try {
        // No separate plan: nobody sees one between deciding and removing, and the removal decides
        // afresh inside its transaction anyway (a plan costs a second read of what the images touch).
        result = cache.remove({ references: pending, force: flags.force }, { onProgress: progress.listener })
        break
      } catch (error) {
        // Refused before anything changed: set the references it names aside and try the rest.
        const refused = refusedReferences(error, pending)
        if (refused.length === 0) throw error
        for (const reference of refused) failed.push({ reference, error: serializeError(explained(error, reference)) })
        pending = pending.filter((r) => !refused.includes(r))
      }
    }
  } finally {
    progress.end()
  }
  const removed = result?.removed ?? []
  const reclaimed =
    flat && removed.length > 0
      ? cache.reclaimFlat({
          removing: removed,
          paths: flat.artifacts.filter((a) => a.references.some((r) => removed.includes(r))).map(artifactKey)
        })
      : null
  if (flags.json) out(prettyJson(reclaimed ? { result, failed, flat: reclaimed } : { result, failed }))
  else if (result) out(describeRemove(result) + (reclaimed ? `\n${describeFlatReclaim(reclaimed)}` : ''))
  for (const f of failed) {
    // Most refusals already begin with the reference ("alpine is in use…"); name it only where they do not.
    const said = f.error.message.startsWith(f.reference) ? f.error.message : `${f.reference}: ${f.error.message}`
    process.stderr.write(`error: ${escapeOutput(said)}\n`)
  }
  if (failed.length > 0) process.stderr.write('error: some images failed to remove\n')
  // msb did the removal (a home the explorer does not know) and failed for some reference: its exit code.
  if (result?.delegated && result.delegated.exitCode !== 0) return 1
  return failed.length > 0 ? 1 : 0
}

/** The flat artifacts of exactly these references' images (not every unused one). */
function ownFlat(cache: Cache, references: string[]): FlatPlan {
  const all = cache.flatPlan({ removing: references })
  const artifacts = all.artifacts.filter((a) => a.unused === 'removing')
  return {
    artifacts,
    logicalBytes: artifacts.reduce((n, a) => n + a.reclaimLogicalBytes, 0),
    allocatedBytes: artifacts.reduce((n, a) => n + a.reclaimAllocatedBytes, 0)
  }
}

/** The references a refusal names (ImageNotFound: one; ImageInUse: each image a sandbox holds). */
function refusedReferences(error: unknown, pending: string[]): string[] {
  if (!(error instanceof CacheError)) return []
  const details = error.details as { reference?: string; images?: { reference: string }[] } | undefined
  const named =
    error.code === 'ImageNotFound' && details?.reference !== undefined
      ? [details.reference]
      : error.code === 'ImageInUse'
        ? (details?.images ?? []).map((i) => i.reference)
        : []
  return named.filter((r) => pending.includes(r))
}
