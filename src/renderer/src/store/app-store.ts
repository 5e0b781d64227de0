// The one store the views read. Slices live in their own files; only the store calls the client.
import { create } from 'zustand'
import { createCacheSlice } from './cache-slice'
import { createDemoSlice } from './demo-slice'
import { createDetailSlice } from './detail-slice'
import { createFilesSlice } from './files-slice'
import { createPruneSlice } from './prune-slice'
import { createRemoveSlice } from './remove-slice'
import { createSelectionSlice } from './selection-slice'
import { createSharingSlice } from './sharing-slice'
import type { AppState } from './state'
import { createToastSlice } from './toast-slice'
import { createViewSlice } from './view-slice'

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
