// Transient messages: errors from calls that have no dialog to show them in, and results of writes.
import type { SliceCreator, ToastSlice } from '../state'

const TOAST_LIFETIME_MS = { error: 12_000, success: 6_000, info: 6_000 } as const

export const createToastSlice: SliceCreator<ToastSlice> = (set, get) => {
  let nextId = 1
  return {
    toasts: [],
    pushToast(toast) {
      const id = nextId++
      set({ toasts: [...get().toasts.slice(-3), { ...toast, id }] })
      window.setTimeout(() => get().dismissToast(id), TOAST_LIFETIME_MS[toast.kind])
    },
    dismissToast(id) {
      if (get().toasts.some((t) => t.id === id)) set({ toasts: get().toasts.filter((t) => t.id !== id) })
    }
  }
}
