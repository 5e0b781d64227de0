// Removing references: always plan first (what goes, what stays, bytes freed), confirm with the
// plan's fingerprint so a cache that changed in between is refused instead of surprising the user.
import { client } from '../../api/client'
import { formatBytes } from '../../../../shared/format'
import { describeError, errorCode } from '../errors'
import type { RemoveSlice, RemoveState, SliceCreator } from '../state'

export const createRemoveSlice: SliceCreator<RemoveSlice> = (set, get) => {
  let request = 0

  function patch(p: Partial<RemoveState>) {
    const current = get().removal
    if (current) set({ removal: { ...current, ...p } })
  }

  async function plan(references: string[], force: boolean, error: string | null = null) {
    const mine = ++request
    patch({ phase: 'planning', error, errorCode: null, plan: null })
    try {
      const removePlan = await client.removePlan({ references, force })
      // Only these images' own artifacts: the ones this removal leaves unused.
      const all = await client.flatPlan({ removing: references })
      const own = all.artifacts.filter((a) => a.unused === 'removing')
      const flatPlan = {
        artifacts: own,
        logicalBytes: own.reduce((n, a) => n + a.reclaimLogicalBytes, 0),
        allocatedBytes: own.reduce((n, a) => n + a.reclaimAllocatedBytes, 0)
      }
      if (mine === request) patch({ plan: removePlan, flatPlan, phase: 'ready' })
    } catch (e) {
      if (mine === request) patch({ phase: 'ready', error: describeError(e), errorCode: errorCode(e) })
    }
  }

  return {
    removal: null,

    openRemove(references) {
      if (references.length === 0 || get().pruning) return
      set({
        removal: {
          references,
          force: false,
          plan: null,
          phase: 'planning',
          error: null,
          errorCode: null,
          result: null,
          progress: null,
          flatPlan: null,
          flat: false
        }
      })
      void plan(references, false)
    },

    setRemoveFlat(on) {
      if (get().removal?.phase === 'ready') patch({ flat: on })
    },

    setRemoveForce(force) {
      const removal = get().removal
      if (!removal || removal.force === force) return
      patch({ force })
      void plan(removal.references, force)
    },

    async confirmRemove() {
      const removal = get().removal
      if (!removal || !removal.plan || removal.phase !== 'ready') return
      const { references, force } = removal
      patch({ phase: 'removing', error: null, errorCode: null, progress: null })
      try {
        const result = await client.remove(
          { references, force, fingerprint: removal.plan.fingerprint },
          {
            onProgress: (progress) =>
              progress.operation === 'remove' && get().removal?.phase === 'removing' && patch({ progress })
          }
        )
        patch({ phase: 'done', result })
        const flat =
          removal.flat && removal.flatPlan && removal.flatPlan.artifacts.length > 0
            ? await client.reclaimFlat({
                removing: result.removed,
                paths: removal.flatPlan.artifacts
                  .filter((a) => a.references.some((r) => result.removed.includes(r)))
                  .map((a) => a.refPath ?? a.blobPath ?? '')
              })
            : null
        const flatNote = flat
          ? ` Flat rootfs: ${formatBytes(flat.freedAllocatedBytes)} freed on disk.${flat.skipped.map((x) => ` Skipped ${x.path}: ${x.why}.`).join('')}${flat.notes.map((n) => ` ${n}.`).join('')}`
          : ''
        const held = result.heldBy.length
          ? ` Data still used by ${result.heldBy.map((s) => s.name).join(', ')} stays until that sandbox is gone; prune reclaims it then.`
          : ''
        const names = result.removed.length === 1 ? result.removed[0] : `${result.removed.length} images`
        // Done by msb on a home the explorer does not know: say so, with the preview beside what it did.
        const by = result.delegated
          ? ` Done by msb ${result.delegated.msb.version ?? ''}: the preview said ${result.delegated.preview.references.length} references and ${formatBytes(result.delegated.preview.bytes)}; msb removed ${result.delegated.actual.references.length} and ${formatBytes(result.delegated.actual.bytes)}.`
          : ''
        get().pushToast({
          kind: 'success',
          title: `Removed ${names}`,
          message: `${formatBytes(result.bytesReclaimed)} freed.${flatNote}${by}${held}${result.differences.length ? ` ${result.differences.join(' ')}` : ''}`
        })
        const removed = new Set(result.removed)
        const selected = new Set([...get().selected].filter((r) => !removed.has(r)))
        set({ removal: null, selected })
        await get().load()
      } catch (e) {
        // The plan may be stale (the cache changed, or msb holds it); show why and plan again.
        await plan(references, force, describeError(e))
        await get().load()
      }
    },

    closeRemove() {
      if (get().removal?.phase === 'removing') return
      request++
      set({ removal: null })
    }
  }
}
