// Pruning: preview for a scope (msb's "unused", dangling-only or retention rules), then run with the
// preview's fingerprint and show msb's report next to the preview, with every difference named.
// Rule inputs re-plan live, once typing pauses; the shown preview stays until the new one arrives.
import { client } from '../../api/client'
import type { PruneScope } from '../../../../shared/contract'
import { describeError } from '../errors'
import { EMPTY_RULES_DRAFT, rulesOf } from '../rules-draft'
import type { PruneSlice, PruneState, SliceCreator } from '../state'

/** Long enough that typing "30d" asks once, short enough to feel live. */
const RULES_PAUSE_MS = 250

export const createPruneSlice: SliceCreator<PruneSlice> = (set, get) => {
  let request = 0
  let rulesTimer: ReturnType<typeof setTimeout> | undefined

  function patch(p: Partial<PruneState>) {
    const current = get().pruning
    if (current) set({ pruning: { ...current, ...p } })
  }

  async function plan(scope: PruneScope, error: string | null = null, keepShown = false) {
    const mine = ++request
    // A new scope's flat artifacts differ too: never show the last scope's bytes meanwhile.
    patch({ phase: 'planning', error, result: null, ...(keepShown ? {} : { plan: null, flatPlan: null }) })
    try {
      const prunePlan = await client.prunePlan({ scope })
      // The flat artifacts this prune would leave unused count as unused too.
      const flatPlan = await client.flatPlan({ removing: prunePlan.references })
      if (mine === request) patch({ plan: prunePlan, flatPlan, phase: 'ready' })
    } catch (e) {
      if (mine === request) patch({ phase: 'ready', error: describeError(e), plan: null })
    }
  }

  return {
    pruning: null,

    openPrune(scope = { kind: 'unused' }) {
      if (get().removal) return
      set({
        pruning: {
          scope,
          rulesDraft: EMPTY_RULES_DRAFT,
          plan: null,
          phase: 'planning',
          error: null,
          result: null,
          progress: null,
          flat: false,
          flatPlan: null,
          flatResult: null
        }
      })
      void plan(scope)
    },

    setPruneScope(scope) {
      const pruning = get().pruning
      if (!pruning || pruning.phase === 'pruning' || pruning.phase === 'done') return
      clearTimeout(rulesTimer)
      if (scope.kind === 'rules') return get().setPruneRules(pruning.rulesDraft)
      patch({ scope })
      void plan(scope)
    },

    setPruneRules(rulesDraft) {
      const pruning = get().pruning
      if (!pruning || pruning.phase === 'pruning' || pruning.phase === 'done') return
      clearTimeout(rulesTimer)
      const read = rulesOf(rulesDraft)
      const previous = pruning.scope.kind === 'rules' ? pruning.plan : null
      if ('error' in read) {
        // Nothing to confirm until the inputs read; an older preview would not match them.
        request++
        patch({ scope: { kind: 'rules', rules: {} }, rulesDraft, plan: null, phase: 'ready', error: read.error })
        return
      }
      const scope: PruneScope = { kind: 'rules', rules: read.rules }
      patch({ scope, rulesDraft, plan: previous, phase: 'planning', error: null })
      rulesTimer = setTimeout(() => void plan(scope, null, true), RULES_PAUSE_MS)
    },

    setPruneFlat(on) {
      const pruning = get().pruning
      if (!pruning || pruning.phase === 'pruning' || pruning.phase === 'done') return
      patch({ flat: on })
    },

    async confirmPrune() {
      const pruning = get().pruning
      if (!pruning || !pruning.plan || pruning.phase !== 'ready') return
      patch({ phase: 'pruning', error: null, progress: null })
      try {
        // The plan's own scope: the one its fingerprint was made for.
        const result = await client.prune(
          { scope: pruning.plan.scope, fingerprint: pruning.plan.fingerprint },
          {
            onProgress: (progress) =>
              progress.operation === 'prune' && get().pruning?.phase === 'pruning' && patch({ progress })
          }
        )
        const flat = pruning.flat ? pruning.flatPlan : null
        const flatResult =
          flat && flat.artifacts.length > 0
            ? await client.reclaimFlat({
                removing: pruning.plan.references,
                paths: flat.artifacts.map((a) => a.refPath ?? a.blobPath ?? '')
              })
            : null
        patch({ phase: 'done', result, flatResult })
        await get().load()
      } catch (e) {
        await plan(pruning.scope, describeError(e))
        await get().load()
      }
    },

    closePrune() {
      if (get().pruning?.phase === 'pruning') return
      request++
      clearTimeout(rulesTimer)
      set({ pruning: null })
    }
  }
}
