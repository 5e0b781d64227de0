// The one place where an untrusted (operation name, argument) pair becomes a core call.
//
// Both transports (Electron IPC and HTTP) go through here, so validation and error serialisation
// cannot differ between them. `dispatch` never throws: every failure, including a bug in the core,
// comes back as `{ ok: false, error }` data, because a throw inside `ipcMain.handle` reaches the
// renderer only as "Error occurred in handler for …" with the code lost.
import type { CallableCacheApi, CallOptions, ProgressListener } from '../../shared/contract'
import { CacheError, serializeError } from '../../shared/errors'
import type { WireResponse } from '../../shared/http-protocol'
import { parseArgs } from '../../shared/argument-schemas'
import { isOperation } from '../../shared/operations'
import { logUnexpected } from './internal-errors'

/** `onProgress` receives the progress of a remove or prune (the transport's own way back to the caller). */
export async function dispatch(
  api: CallableCacheApi,
  op: string,
  rawArgs: unknown,
  onProgress?: ProgressListener
): Promise<WireResponse<unknown>> {
  try {
    if (typeof op !== 'string' || !isOperation(op)) {
      throw new CacheError('InvalidArgument', `unknown operation: ${describe(op)}`)
    }
    const args = parseArgs(op, rawArgs)
    // The cast is sound: `parseArgs(op, …)` returned the argument type of this very `op`.
    const call = api[op] as (a: typeof args, options?: CallOptions) => unknown
    const result = await call.call(api, args, onProgress ? { onProgress } : undefined)
    return { ok: true, result }
  } catch (error) {
    logUnexpected(error, `dispatch ${describe(op)}`)
    return { ok: false, error: serializeError(error) }
  }
}

/** Operation names echoed into messages are clipped so a hostile caller cannot flood logs. */
function describe(op: unknown): string {
  const text = typeof op === 'string' ? op : typeof op
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)
}
