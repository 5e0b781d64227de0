// The Electron IPC transport of the contract: one `ipcMain.handle` per operation, derived from
// OPERATIONS, each answering `WireResponse` data and never throwing.
//
// Only our own page may call. A message is answered only if its frame is still alive, is the top
// frame of one of our windows, and currently shows our page (RendererLocation). Anything else (a
// subframe, a page that somehow navigated elsewhere, a webContents we did not create) gets an
// error and never reaches the core. Arguments are validated in `dispatch`.
import { BrowserWindow, ipcMain } from 'electron'
import type { IpcMainInvokeEvent, WebContents } from 'electron'
import type { CallableCacheApi } from '../../shared/contract'
import type { WireResponse } from '../../shared/http-protocol'
import type { ProgressListener } from '../../shared/contract'
import { channelOf, OPERATIONS, PROGRESS_CHANNEL } from '../../shared/operations'
import { dispatch } from '../transport/dispatch'
import { isAppUrl } from './app-location'
import type { RendererLocation } from './app-location'

export interface IpcHandlerOptions {
  /** The current core; it changes when the user opens another microsandbox home. */
  getApi: () => CallableCacheApi
  location: RendererLocation
  /** Defaults to "any BrowserWindow": the app opens no windows but its own (window.open is denied). */
  isOurContents?: (contents: WebContents) => boolean
}

const UNTRUSTED: WireResponse<never> = {
  ok: false,
  error: { code: 'Forbidden', message: 'this frame may not call the cache API' }
}

export function isTrustedSender(event: IpcMainInvokeEvent, options: IpcHandlerOptions): boolean {
  const frame = event.senderFrame
  if (!frame || frame.isDestroyed() || frame.detached) return false
  // Top frame only: a subframe (even one showing our own page) is not trusted.
  if (frame.parent !== null) return false
  const ours = options.isOurContents ?? ((contents) => BrowserWindow.fromWebContents(contents) !== null)
  if (!ours(event.sender)) return false
  return isAppUrl(frame.url, options.location)
}

/**
 * Progress goes back only to the page that called (its top frame: the only one trusted to call),
 * tagged with the id the preload chose for the call. A page that is gone by then gets nothing, and a
 * failed send never reaches the operation: a prune must not stop because its window closed.
 */
function progressTo(event: IpcMainInvokeEvent, callId: unknown): ProgressListener | undefined {
  if (typeof callId !== 'number' || !Number.isSafeInteger(callId)) return undefined
  const contents = event.sender
  return (progress) => {
    try {
      if (!contents.isDestroyed()) contents.send(PROGRESS_CHANNEL, callId, progress)
    } catch {
      // The page went away mid-send.
    }
  }
}

/** Registers every handler; returns a function that removes them again. */
export function registerCacheHandlers(options: IpcHandlerOptions): () => void {
  for (const op of OPERATIONS) {
    ipcMain.handle(channelOf(op), async (event, args: unknown, callId?: unknown): Promise<WireResponse<unknown>> => {
      try {
        if (!isTrustedSender(event, options)) return UNTRUSTED
        return await dispatch(options.getApi(), op, args, progressTo(event, callId))
      } catch {
        // dispatch never throws; this guards the sender checks against a destroyed frame.
        return UNTRUSTED
      }
    })
  }
  return () => {
    for (const op of OPERATIONS) ipcMain.removeHandler(channelOf(op))
  }
}
