// The renderer's one door to the cache: the contract's operations over whichever transport the page
// runs under. In Electron the preload exposes `window.cacheApi` (one function per operation, each
// answering a WireResponse); in a browser (serve mode, e2e) it is `POST /api/<op>` with the session
// token the server printed in the URL fragment. Both unwrap the WireResponse and throw `CacheError`,
// so the store never knows which transport it talks to. A remove or prune called with `onProgress`
// hears its progress on either transport: the bridge calls back, HTTP streams lines.
import type {
  ArgsOf,
  AsyncCacheApi,
  CallOptions,
  Operation,
  ProgressListener,
  ResultOf
} from '../../../shared/contract'
import { CacheError, deserializeError, isSerializedError } from '../../../shared/errors'
import { OPERATIONS, reportsProgress } from '../../../shared/operations'
import {
  PROGRESS_MEDIA_TYPE,
  TOKEN_FRAGMENT_KEY,
  TOKEN_HEADER,
  routeOf,
  type StreamLine,
  type WireResponse
} from '../../../shared/http-protocol'

/** What the preload bridge gives the page (declared fully in src/preload/index.d.ts). */
type CacheBridge = {
  [K in Operation]: (args: ArgsOf<K>, onProgress?: ProgressListener) => Promise<WireResponse<ResultOf<K>>>
}

const TOKEN_STORAGE_KEY = 'image-cache-explorer.token'

function unwrap<T>(op: Operation, response: unknown): T {
  if (typeof response === 'object' && response !== null && 'ok' in response) {
    const wire = response as WireResponse<T>
    if (wire.ok) return wire.result
    if (isSerializedError(wire.error)) throw deserializeError(wire.error)
  }
  throw new CacheError('Internal', `malformed answer to ${op}`)
}

/**
 * Takes the token from `#token=…` once, keeps it for this tab in sessionStorage and removes it from
 * the address bar so it is not bookmarked, copied or shown in screenshots.
 */
function sessionToken(): string | null {
  const hash = window.location.hash.replace(/^#/, '')
  if (hash) {
    const params = new URLSearchParams(hash)
    const token = params.get(TOKEN_FRAGMENT_KEY)
    if (token) {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, token)
      params.delete(TOKEN_FRAGMENT_KEY)
      const rest = params.toString()
      const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : '')
      window.history.replaceState(window.history.state, '', url)
      return token
    }
  }
  return sessionStorage.getItem(TOKEN_STORAGE_KEY)
}

function httpCall(token: string | null) {
  return async <K extends Operation>(op: K, args: ArgsOf<K>, options?: CallOptions): Promise<ResultOf<K>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (token) headers[TOKEN_HEADER] = token
    const onProgress = reportsProgress(op) ? options?.onProgress : undefined
    if (onProgress) headers.accept = PROGRESS_MEDIA_TYPE
    let response: Response
    try {
      response = await fetch(routeOf(op), { method: 'POST', headers, body: JSON.stringify(args) })
    } catch (error) {
      throw new CacheError('Internal', `cannot reach the explorer server: ${(error as Error).message}`)
    }
    if (onProgress && response.ok && response.headers.get('content-type')?.startsWith(PROGRESS_MEDIA_TYPE)) {
      return unwrap<ResultOf<K>>(op, await readStream(response, onProgress))
    }
    let body: unknown
    try {
      body = await response.json()
    } catch {
      throw new CacheError('Internal', `the explorer server answered ${response.status} without JSON`)
    }
    return unwrap<ResultOf<K>>(op, body)
  }
}

/** Reads a streamed answer: progress lines go to `onProgress`; answers the last line, the WireResponse. */
async function readStream(response: Response, onProgress: ProgressListener): Promise<unknown> {
  const reader = response.body?.getReader()
  if (!reader) throw new CacheError('Internal', 'the explorer server sent no body')
  const decoder = new TextDecoder()
  let buffered = ''
  let answer: unknown
  const take = (line: string) => {
    if (!line.trim()) return
    const parsed = JSON.parse(line) as StreamLine<unknown>
    if ('progress' in parsed) onProgress(parsed.progress)
    else answer = parsed
  }
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      buffered += decoder.decode(value, { stream: true })
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      lines.forEach(take)
    }
    take(buffered + decoder.decode())
  } catch (error) {
    throw new CacheError('Internal', `the explorer server's answer broke off: ${(error as Error).message}`)
  }
  return answer
}

function bridgeCall(bridge: CacheBridge) {
  return async <K extends Operation>(op: K, args: ArgsOf<K>, options?: CallOptions): Promise<ResultOf<K>> => {
    const fn = bridge[op] as unknown as (a: ArgsOf<K>, p?: ProgressListener) => Promise<WireResponse<ResultOf<K>>>
    const onProgress = reportsProgress(op) ? options?.onProgress : undefined
    return unwrap<ResultOf<K>>(op, await (onProgress ? fn(args, onProgress) : fn(args)))
  }
}

export function createClient(): AsyncCacheApi {
  const bridge = (window as unknown as { cacheApi?: CacheBridge }).cacheApi
  const call = bridge ? bridgeCall(bridge) : httpCall(sessionToken())
  const client = {} as Record<Operation, (args: never, options?: CallOptions) => Promise<unknown>>
  for (const op of OPERATIONS) {
    client[op] = (args: never, options?: CallOptions) => call(op, args, options)
  }
  return client as unknown as AsyncCacheApi
}

export const client: AsyncCacheApi = createClient()
