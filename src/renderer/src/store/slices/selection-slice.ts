// What removing the checked references together frees, asked of the core (one cascade over the same
// cache state the remove plan uses), so the selection bar shows the figure the Remove dialog will
// report. Summing per-reference figures cannot: two tags of one image each free nothing alone but
// free the image together. Asked after the selection settles, and again when the cache changes.
import { client } from '../../api/client'
import type { SelectionSlice, SliceCreator } from '../state'

const SETTLE_MS = 120

export const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => {
  let timer: ReturnType<typeof setTimeout> | null = null
  let request = 0
  return {
    selectionFreed: null,
    refreshSelectionFreed() {
      if (timer) clearTimeout(timer)
      const mine = ++request
      const selected = get().selected
      if (selected.size === 0) {
        set({ selectionFreed: null })
        return
      }
      timer = setTimeout(() => {
        timer = null
        client.selectionUsage({ references: [...selected] }).then(
          (usage) => {
            if (mine === request) set({ selectionFreed: { for: selected, ...usage } })
          },
          () => {
            // The figure is a convenience; the Remove dialog still plans and reports the truth.
            if (mine === request) set({ selectionFreed: null })
          }
        )
      }, SETTLE_MS)
    }
  }
}
