// The one store the views read. Slices live in their own files; only the store calls the client.
import { create } from 'zustand'
import { createCacheSlice } from './slices/cache-slice'
import { createDemoSlice } from './slices/demo-slice'
import { createDetailSlice } from './slices/detail-slice'
import { createFilesSlice } from './slices/files-slice'
import { createPruneSlice } from './slices/prune-slice'
import { createRemoveSlice } from './slices/remove-slice'
import { createSelectionSlice } from './slices/selection-slice'
import { createSharingSlice } from './slices/sharing-slice'
import type { AppState } from './state'
import { createToastSlice } from './slices/toast-slice'
import { createViewSlice } from './slices/view-slice'

export const useApp = create<AppState>()((...a) => ({
  ...createCacheSlice(...a),
  ...createDemoSlice(...a),
  ...createSharingSlice(...a),
  ...createViewSlice(...a),
  ...createDetailSlice(...a),
  ...createFilesSlice(...a),
  ...createRemoveSlice(...a),
  ...createPruneSlice(...a),
  ...createToastSlice(...a),
  ...createSelectionSlice(...a)
}))

// The selection bar's figure follows the selection and the cache.
useApp.subscribe((state, previous) => {
  if (state.selected !== previous.selected || state.usage !== previous.usage) state.refreshSelectionFreed()
})

/** Remove and prune are refused when the cache is read-only (unknown schema, msb's lease, no db). */
export function useWritable(): boolean {
  return useApp((s) => s.status !== null && !s.status.readOnly)
}
