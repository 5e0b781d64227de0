// The HTTP/JSON transport of the contract (serve mode and browser e2e).
//
// Every operation is `POST /api/<operation>` with the argument object as JSON body. The answer is
// `{ ok: true, result }` or `{ ok: false, error: { code, message, details } }` with status 200 or the
// status of `httpStatusOf(code)`. The session token travels in the `x-explorer-token` header; the
// page learns it from the `#token=` fragment of the URL the server prints (fragments are never sent to
// servers or written to logs).
//
// Progress: a remove, prune or usage asked with `Accept: application/x-ndjson` answers 200 at once and then
// one JSON object per line: `{ "progress": OperationProgress }` while it runs, and last the
// WireResponse itself (its `ok` says whether the call succeeded; the status is already sent).
import type { Operation, OperationProgress } from './contract'
import type { ErrorCode, SerializedError } from './errors'

export const API_PREFIX = '/api/'
export const TOKEN_HEADER = 'x-explorer-token'
export const TOKEN_FRAGMENT_KEY = 'token'

export function routeOf(op: Operation): string {
  return `${API_PREFIX}${op}`
}

export type WireResponse<T> = { ok: true; result: T } | { ok: false; error: SerializedError }

export const PROGRESS_MEDIA_TYPE = 'application/x-ndjson'

/** A line of a streamed answer: progress, or the final WireResponse. */
export type StreamLine<T> = { progress: OperationProgress } | WireResponse<T>

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'ImageNotFound':
      return 404
    case 'ImageInUse':
    case 'Busy':
      return 409
    case 'InvalidArgument':
      return 400
    case 'Forbidden':
      return 403
    case 'SchemaUnsupported':
    case 'Unsupported':
      return 422
    default:
      return 500
  }
}
