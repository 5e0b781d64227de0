// What the preload gives the page: `window.cacheApi`, typed from the one contract.
import type { ArgsOf, Operation, ProgressListener, ResultOf } from '../shared/contract'
import type { WireResponse } from '../shared/http-protocol'

/** `onProgress` hears a remove's or prune's progress while the call runs (other operations send none). */
export type CacheBridge = {
  readonly [K in Operation]: (args: ArgsOf<K>, onProgress?: ProgressListener) => Promise<WireResponse<ResultOf<K>>>
}

declare global {
  interface Window {
    /** Present in the Electron app only; the served page talks HTTP instead. */
    readonly cacheApi: CacheBridge
  }
}
