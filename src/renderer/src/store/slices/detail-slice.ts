// The detail pane: msb's inspect plus the explorer's measurements for one reference.
// Answers are matched to the request that asked, so quick arrow-key moves never show a stale image.
import { client } from '../../api/client'
import { describeError } from '../errors'
import type { DetailSlice, SliceCreator } from '../state'

export const createDetailSlice: SliceCreator<DetailSlice> = (set, get) => {
  let request = 0

  async function fetchInsight(reference: string, quiet: boolean) {
    const mine = ++request
    if (!quiet) set({ insightState: 'loading', insightError: null })
    // The steps come from one small file; they follow the insight, and their absence only leaves layers unnamed.
    void client.history({ reference }).then(
      (history) => {
        if (mine === request && get().detailRef === reference) set({ history })
      },
      () => {
        if (mine === request && get().detailRef === reference) set({ history: null })
      }
    )
    try {
      const insight = await client.insight({ reference })
      if (mine !== request || get().detailRef !== reference) return
      set({ insight, insightState: 'ready', insightError: null })
    } catch (error) {
      if (mine !== request || get().detailRef !== reference) return
      set({ insightState: 'error', insightError: describeError(error) })
    }
  }

  return {
    detailRef: null,
    insight: null,
    insightState: 'idle',
    insightError: null,
    history: null,

    openDetail(reference) {
      if (get().detailRef === reference && get().insightState !== 'error') return
      set({ detailRef: reference, activeRef: reference, insight: null, history: null })
      void fetchInsight(reference, false)
    },

    closeDetail() {
      request++
      set({ detailRef: null, insight: null, history: null, insightState: 'idle', insightError: null })
    },

    async reloadInsight() {
      const reference = get().detailRef
      if (reference) await fetchInsight(reference, true)
    }
  }
}
