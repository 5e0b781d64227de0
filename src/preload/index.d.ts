// What the preload gives the page: `window.cacheApi`, typed from the one contract.
import type { ArgsOf, Operation, ResultOf } from '../shared/contract'
import type { WireResponse } from '../shared/http-protocol'

export type CacheBridge = { readonly [K in Operation]: (args: ArgsOf<K>) => Promise<WireResponse<ResultOf<K>>> }

declare global {
  interface Window {
    /** Present in the Electron app only; the served page talks HTTP instead. */
    readonly cacheApi: CacheBridge
  }
}
