// Who may talk to the serve-mode server: the checks run before anything else looks at a request.
//
// The server binds loopback only, but any web page the user opens can still make their browser
// send requests to 127.0.0.1. Three walls keep such pages out:
//  - Host must name the loopback address and our port, so a DNS-rebinding page (evil.example
//    resolving to 127.0.0.1) is refused even for static files;
//  - Origin, when the browser sends one, must be our own origin;
//  - API calls need the session token, which only the printed URL's fragment carries.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const

export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`))
}

/** The Host header must be exactly one of ours (case-insensitive, as host names are). */
export function isAllowedHost(headers: IncomingHttpHeaders, port: number): boolean {
  const host = headers.host
  return typeof host === 'string' && allowedHosts(port).has(host.toLowerCase())
}

/** An Origin header, when present, must be the page's own origin (`http://` + the Host header). */
export function isAllowedOrigin(headers: IncomingHttpHeaders, port: number): boolean {
  const origin = headers.origin
  if (origin === undefined) return true
  if (typeof origin !== 'string') return false
  const prefix = 'http://'
  if (!origin.toLowerCase().startsWith(prefix)) return false
  const originHost = origin.slice(prefix.length).toLowerCase()
  return originHost === headers.host?.toLowerCase() && allowedHosts(port).has(originHost)
}

/** Compares in constant time; hashing first hides the length of the expected token too. */
export function isValidToken(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
