// The detail pane's tabs and its Files view: which tab is open, which layer's files (null = the merged view), and
// the core's answer for the image on screen. Answers are matched to the request that asked, so moving through the
// table quickly never shows another image's files.
import { client } from '../../api/client'
import { describeError } from '../errors'
import type { FilesSlice, SliceCreator } from '../state'

export const createFilesSlice: SliceCreator<FilesSlice> = (set, get) => {
  let request = 0

  async function fetchFiles(reference: string, layer: number | null) {
    const mine = ++request
    set({ filesState: 'loading', filesError: null })
    try {
      const files = await client.imageFiles(layer === null ? { reference } : { reference, layer })
      if (mine !== request) return
      set({ files, filesState: 'ready' })
    } catch (error) {
      if (mine !== request) return
      set({ files: null, filesState: 'error', filesError: describeError(error) })
    }
  }

  return {
    detailTab: 'overview',
    filesLayer: null,
    files: null,
    filesState: 'idle',
    filesError: null,

    setDetailTab(tab) {
      set({ detailTab: tab })
      if (tab === 'files') get().ensureFiles()
    },

    openFiles(layer) {
      set({ detailTab: 'files', filesLayer: layer })
      get().ensureFiles()
    },

    ensureFiles() {
      const { detailRef, files, filesLayer, filesState } = get()
      if (!detailRef) return
      const current = files?.reference === detailRef && files.layer === filesLayer
      if (current && filesState === 'ready') return
      void fetchFiles(detailRef, filesLayer)
    }
  }
}
