// The page's only door to the main process: one object, `window.cacheApi`, with one function per
// contract operation, built from OPERATIONS so it cannot drift from the contract.
//
// Each function forwards its argument to `ipcRenderer.invoke` and returns the main process's
// `WireResponse` as is: no `ipcRenderer`, no event object and no Electron API reaches the page, and
// validation happens in main (the preload is not a security boundary the page cannot get around).
// This runs sandboxed, so it is bundled into one CommonJS file (electron.vite.config.ts).
import { contextBridge, ipcRenderer } from 'electron'
import { channelOf, OPERATIONS } from '../shared/operations'

const cacheApi = Object.freeze(
  Object.fromEntries(OPERATIONS.map((op) => [op, (args: unknown) => ipcRenderer.invoke(channelOf(op), args)]))
)

contextBridge.exposeInMainWorld('cacheApi', cacheApi)
