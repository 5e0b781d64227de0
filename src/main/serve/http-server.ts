// The serve mode's HTTP/JSON transport of the contract, on node:http alone.
//
// `POST /api/<operation>` with the argument as JSON body (src/shared/http-protocol.ts), and the
// built renderer as static files. It binds loopback only and trusts no request until the checks of
// request-guard.ts pass; see there for why each one exists.
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CallableCacheApi, ProgressListener } from '../../shared/contract'
import type { SerializedError } from '../../shared/errors'
import {
  API_PREFIX,
  httpStatusOf,
  PROGRESS_MEDIA_TYPE,
  TOKEN_FRAGMENT_KEY,
  TOKEN_HEADER
} from '../../shared/http-protocol'
import type { WireResponse } from '../../shared/http-protocol'
import { isOperation, reportsProgress } from '../../shared/operations'
import { contentSecurityPolicy } from '../shell/csp'
import { dispatch } from '../transport/dispatch'
import { logUnexpected } from '../transport/internal-errors'
import { isAllowedHost, isAllowedOrigin, isValidToken } from './request-guard'
import { lookupStatic } from './static-files'

export interface ServerOptions {
  api: CallableCacheApi
  /** 0 (the default) picks a free port. */
  port?: number
  host?: '127.0.0.1' | 'localhost' | '::1'
  /** The built renderer (`out/renderer`). */
  staticDir: string
  /** Fixed token for tests; by default 32 random bytes. */
  token?: string
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT/#token=TOKEN`: the only way to hand the token to the page. */
  url: string
  token: string
  port: number
  close(): Promise<void>
}

export const MAX_BODY_BYTES = 1024 * 1024
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  // Refuse at start rather than trusting callers: this server must never face a network.
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`refusing to serve on non-loopback host ${host}`)
  const token = options.token ?? randomBytes(32).toString('base64url')
  let port = 0

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value)
    handle(request, response).catch((error: unknown) => {
      logUnexpected(error, `http ${request.method} ${request.url?.slice(0, 80)}`)
      if (!response.headersSent) sendError(response, 500, { code: 'Internal', message: String(error) })
      else response.destroy()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/'
    const isApi = path.startsWith(API_PREFIX) || path === API_PREFIX.slice(0, -1)
    if (!isAllowedHost(request.headers, port)) return refuse(response, isApi, 'unexpected Host header')
    if (!isAllowedOrigin(request.headers, port)) return refuse(response, isApi, 'cross-origin request')
    if (isApi) return handleApi(request, response, path.slice(API_PREFIX.length))
    return handleStatic(request, response, path)
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, op: string): Promise<void> {
    response.setHeader('Cache-Control', 'no-store')
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST')
      return sendError(response, 405, { code: 'Forbidden', message: 'use POST for API calls' })
    }
    if (!isValidToken(request.headers[TOKEN_HEADER], token))
      return refuse(response, true, 'missing or wrong session token')
    if (!isOperation(op)) return sendError(response, 404, { code: 'InvalidArgument', message: 'unknown operation' })
    const type = request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase()
    if (type !== undefined && type !== 'application/json') {
      return sendError(response, 415, { code: 'Forbidden', message: 'send application/json' })
    }
    const body = await readBody(request)
    if (body === 'too-large') {
      response.setHeader('Connection', 'close')
      return sendError(response, 413, { code: 'InvalidArgument', message: `body over ${MAX_BODY_BYTES} bytes` })
    }
    let args: unknown
    try {
      args = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'))
    } catch {
      return sendError(response, 400, { code: 'InvalidArgument', message: 'body is not JSON' })
    }
    if (reportsProgress(op) && request.headers.accept?.includes(PROGRESS_MEDIA_TYPE)) {
      return streamWithProgress(response, (onProgress) => dispatch(options.api, op, args, onProgress))
    }
    const answer = await dispatch(options.api, op, args)
    sendJson(response, answer.ok ? 200 : httpStatusOf(answer.error.code), answer)
  }

  function handleStatic(request: IncomingMessage, response: ServerResponse, path: string): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD')
      response.writeHead(405).end()
      return
    }
    const found = lookupStatic(options.staticDir, path)
    if (found.kind !== 'file') {
      response.writeHead(found.kind === 'refused' ? 403 : 404, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end(found.kind === 'refused' ? 'Forbidden\n' : 'Not found\n')
      return
    }
    response.writeHead(200, { 'Content-Type': found.contentType, 'Cache-Control': 'no-cache' })
    if (request.method === 'HEAD') return void response.end()
    createReadStream(found.path)
      .on('error', () => response.destroy())
      .pipe(response)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const urlHost = host === '::1' ? '[::1]' : host
  return {
    url: `http://${urlHost}:${port}/#${TOKEN_FRAGMENT_KEY}=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

function refuse(response: ServerResponse, isApi: boolean, why: string): void {
  if (isApi) return sendError(response, 403, { code: 'Forbidden', message: `forbidden: ${why}` })
  response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden\n')
}

function sendError(response: ServerResponse, status: number, error: SerializedError): void {
  sendJson(response, status, { ok: false, error } satisfies WireResponse<never>)
}

function sendJson(response: ServerResponse, status: number, body: WireResponse<unknown>): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text)
  })
  response.end(text)
}

/** Progress lines as they come, then the answer as the last line (http-protocol.ts). */
async function streamWithProgress(
  response: ServerResponse,
  run: (onProgress: ProgressListener) => Promise<WireResponse<unknown>>
): Promise<void> {
  response.writeHead(200, { 'Content-Type': `${PROGRESS_MEDIA_TYPE}; charset=utf-8`, 'X-Accel-Buffering': 'no' })
  response.flushHeaders()
  const answer = await run((progress) => {
    if (!response.destroyed) response.write(`${JSON.stringify({ progress })}\n`)
  })
  response.end(`${JSON.stringify(answer)}\n`)
}

/** The whole body, or 'too-large' as soon as it passes the limit (then the rest is not read). */
function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'])
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return resolve('too-large')
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        request.pause()
        resolve('too-large')
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}
