// Building the demo cache from the empty state: the main process (or the serve-mode server) runs msb
// to build it in a temporary home and switches to it; the store then reloads everything from there.
import { client } from '../../api/client'
import { describeError } from '../errors'
import type { DemoSlice, SliceCreator } from '../state'

export const createDemoSlice: SliceCreator<DemoSlice> = (set, get) => ({
  demo: { phase: 'idle', error: null },

  async openDemo() {
    if (get().demo.phase === 'building') return
    set({ demo: { phase: 'building', error: null } })
    try {
      const status = await client.openDemo({})
      // Keep showing progress until the table has the demo's rows.
      await get().load()
      set({ demo: { phase: 'idle', error: null } })
      get().pushToast({
        kind: 'success',
        title: 'Demo cache ready',
        message: `${status.imageCount} references built with msb in ${status.home}.`
      })
    } catch (error) {
      set({ demo: { phase: 'error', error: describeError(error) } })
    }
  },

  async closeDemo() {
    if (get().demo.phase === 'building') return
    try {
      const status = await client.closeDemo({})
      set({ selected: new Set(), activeRef: null, anchorRef: null })
      get().closeDetail()
      await get().load()
      get().pushToast({
        kind: 'success',
        title: 'Back to your cache',
        message: `${status.home}; the demo cache was deleted.`
      })
    } catch (error) {
      get().pushToast({ kind: 'error', title: 'Could not leave the demo', message: describeError(error) })
    }
  }
})
