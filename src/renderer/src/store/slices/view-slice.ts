// What the user is looking at: tab, filter, search, sort, the checked rows and the keyboard cursor.
// Any change recomputes `visible` here, so every consumer sees the same order. Sorted orders are cached
// per sort state (rows.ts), so a filter or search change only filters; typing on narrows `visible`.
import { narrowRows, refinesSearch, visibleRows, type SortKey } from '../rows'
import type { AppState, SliceCreator, ViewSlice } from '../state'

/** Columns whose natural first direction is "biggest/newest first". */
const DESCENDING_FIRST: ReadonlySet<SortKey> = new Set<SortKey>([
  'size',
  'freed',
  'shared',
  'layers',
  'created',
  'built',
  'lastUsed',
  'unusedFor',
  'inUse'
])

function recompute(state: AppState, patch: Partial<AppState>): Partial<AppState> {
  const next = { ...state, ...patch }
  return { ...patch, visible: visibleRows(next.rows, next.filter, next.search, next.sorting) }
}

export const createViewSlice: SliceCreator<ViewSlice> = (set, get) => ({
  tab: 'images',
  filter: 'all',
  search: '',
  sorting: { key: 'created', desc: true },
  visible: [],
  selected: new Set(),
  activeRef: null,
  anchorRef: null,

  setTab: (tab) => set({ tab }),
  setFilter: (filter) => set((s) => recompute(s, { filter })),
  // Typing on only narrows: filter what is shown instead of all rows (same filter, sort and rows).
  setSearch: (search) =>
    set((s) =>
      refinesSearch(search, s.search) ? { search, visible: narrowRows(s.visible, search) } : recompute(s, { search })
    ),
  toggleSort: (key) =>
    set((s) =>
      recompute(s, {
        sorting: s.sorting.key === key ? { key, desc: !s.sorting.desc } : { key, desc: DESCENDING_FIRST.has(key) }
      })
    ),

  toggleSelected(reference, range = false) {
    const { selected, anchorRef, visible } = get()
    const next = new Set(selected)
    const from = anchorRef ? visible.findIndex((r) => r.reference === anchorRef) : -1
    const to = visible.findIndex((r) => r.reference === reference)
    if (range && from >= 0 && to >= 0) {
      const check = !selected.has(reference)
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
        const ref = visible[i].reference
        if (check) next.add(ref)
        else next.delete(ref)
      }
    } else if (next.has(reference)) next.delete(reference)
    else next.add(reference)
    set({ selected: next, anchorRef: reference })
  },

  setAllVisibleSelected(checked) {
    const next = new Set(get().selected)
    for (const row of get().visible) {
      if (checked) next.add(row.reference)
      else next.delete(row.reference)
    }
    set({ selected: next })
  },

  clearSelection: () => set({ selected: new Set() }),

  setActive(reference) {
    set({ activeRef: reference })
    if (reference && get().detailRef) get().openDetail(reference)
  },

  moveActive(delta) {
    const { visible, activeRef } = get()
    if (visible.length === 0) return
    const at = activeRef ? visible.findIndex((r) => r.reference === activeRef) : -1
    const index = at < 0 ? (delta > 0 ? 0 : visible.length - 1) : Math.max(0, Math.min(visible.length - 1, at + delta))
    get().setActive(visible[index].reference)
  },

  moveActiveTo(edge) {
    const { visible } = get()
    if (visible.length === 0) return
    get().setActive(visible[edge === 'first' ? 0 : visible.length - 1].reference)
  }
})
