// The page's only door to the main process: one object, `window.cacheApi`, with one function per
// contract operation, built from OPERATIONS so it cannot drift from the contract.
//
// Each function forwards its argument to `ipcRenderer.invoke` and returns the main process's
// `WireResponse` as is: no `ipcRenderer`, no event object and no Electron API reaches the page, and
// validation happens in main (the preload is not a security boundary the page cannot get around).
// A call may pass a progress callback as second argument: the call then carries an id, and the
// progress main sends for that id (PROGRESS_CHANNEL) reaches the callback until the call answers.
// This runs sandboxed, so it is bundled into one CommonJS file (electron.vite.config.ts).
import { contextBridge, ipcRenderer } from 'electron'
import { channelOf, OPERATIONS, PROGRESS_CHANNEL } from '../shared/operations'

type Listener = (progress: unknown) => void
const listeners = new Map<number, Listener>()
let nextCallId = 1

ipcRenderer.on(PROGRESS_CHANNEL, (_event, callId: unknown, progress: unknown) => {
  if (typeof callId === 'number') listeners.get(callId)?.(progress)
})

async function call(op: (typeof OPERATIONS)[number], args: unknown, onProgress?: unknown): Promise<unknown> {
  if (typeof onProgress !== 'function') return ipcRenderer.invoke(channelOf(op), args)
  const callId = nextCallId++
  listeners.set(callId, onProgress as Listener)
  try {
    return await ipcRenderer.invoke(channelOf(op), args, callId)
  } finally {
    listeners.delete(callId)
  }
}

const cacheApi = Object.freeze(
  Object.fromEntries(OPERATIONS.map((op) => [op, (args: unknown, onProgress?: unknown) => call(op, args, onProgress)]))
)

contextBridge.exposeInMainWorld('cacheApi', cacheApi)
