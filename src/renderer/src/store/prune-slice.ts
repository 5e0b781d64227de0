// Pruning: preview for a scope (msb's "unused" or dangling-only), then run with the preview's
// fingerprint and show msb's report next to the preview, with every difference named.
import { client } from '../api/client'
import type { PruneScope } from '../../../shared/contract'
import { describeError } from './errors'
import type { PruneSlice, PruneState, SliceCreator } from './state'

export const createPruneSlice: SliceCreator<PruneSlice> = (set, get) => {
  let request = 0

  function patch(p: Partial<PruneState>) {
    const current = get().pruning
    if (current) set({ pruning: { ...current, ...p } })
  }

  async function plan(scope: PruneScope, error: string | null = null) {
    const mine = ++request
    patch({ phase: 'planning', error, plan: null, result: null })
    try {
      const prunePlan = await client.prunePlan({ scope })
      if (mine === request) patch({ plan: prunePlan, phase: 'ready' })
    } catch (e) {
      if (mine === request) patch({ phase: 'ready', error: describeError(e) })
    }
  }

  return {
    pruning: null,

    openPrune(scope = { kind: 'unused' }) {
      if (get().removal) return
      set({ pruning: { scope, plan: null, phase: 'planning', error: null, result: null, progress: null } })
      void plan(scope)
    },

    setPruneScope(scope) {
      const pruning = get().pruning
      if (!pruning || pruning.phase === 'pruning' || pruning.phase === 'done') return
      patch({ scope })
      void plan(scope)
    },

    async confirmPrune() {
      const pruning = get().pruning
      if (!pruning || !pruning.plan || pruning.phase !== 'ready') return
      patch({ phase: 'pruning', error: null, progress: null })
      try {
        const result = await client.prune(
          { scope: pruning.scope, fingerprint: pruning.plan.fingerprint },
          {
            onProgress: (progress) =>
              progress.operation === 'prune' && get().pruning?.phase === 'pruning' && patch({ progress })
          }
        )
        patch({ phase: 'done', result })
        await get().load()
      } catch (e) {
        await plan(pruning.scope, describeError(e))
        await get().load()
      }
    },

    closePrune() {
      if (get().pruning?.phase === 'pruning') return
      request++
      set({ pruning: null })
    }
  }
}
