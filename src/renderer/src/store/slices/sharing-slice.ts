// The homes that share this home's cache (msb's `paths.cache` pointing at one directory): naming them
// lets remove and prune reclaim files none of them uses; unnamed, every file of a shared cache stays.
import { client } from '../../api/client'
import { describeError } from '../errors'
import type { SharingSlice, SliceCreator } from '../state'

export const createSharingSlice: SliceCreator<SharingSlice> = (set, get) => ({
  sharing: { phase: 'idle', error: null },

  async shareCacheWith(homes) {
    set({ sharing: { phase: 'saving', error: null } })
    try {
      await client.shareCacheWith({ homes })
      // Plans and reclaimable bytes depend on the homes named.
      await get().load()
      set({ sharing: { phase: 'idle', error: null } })
    } catch (error) {
      set({ sharing: { phase: 'idle', error: describeError(error) } })
    }
  }
})
