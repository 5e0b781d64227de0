// Where the explorer's own page lives, and the one test of "is this URL our page?".
//
// Every trust decision in the shell (navigation, IPC senders) reduces to this test, so it is strict:
// in production only the exact file URL of the built index.html (any #fragment or ?query), in
// development only the exact origin of the Vite dev server, which must be http on loopback.
import { pathToFileURL } from 'node:url'

export type RendererLocation =
  { kind: 'file'; indexPath: string; indexUrl: string } | { kind: 'dev'; url: string; origin: string }

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** `devUrl` is electron-vite's ELECTRON_RENDERER_URL; honoured only when the app is not packaged. */
export function rendererLocation(options: { devUrl?: string; indexPath: string; packaged: boolean }): RendererLocation {
  if (options.devUrl && !options.packaged) {
    const url = new URL(options.devUrl)
    if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
      throw new Error(`the renderer dev server must be http on loopback, got ${url.origin}`)
    }
    return { kind: 'dev', url: url.href, origin: url.origin }
  }
  // pathToFileURL encodes the way Chromium reports frame URLs (spaces as %20, `#` as %23, /C:/ on Windows).
  return { kind: 'file', indexPath: options.indexPath, indexUrl: pathToFileURL(options.indexPath).href }
}

export function isAppUrl(candidate: string, location: RendererLocation): boolean {
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  if (location.kind === 'dev') return url.origin === location.origin
  return url.protocol === 'file:' && url.host === '' && `file://${url.pathname}` === location.indexUrl
}
