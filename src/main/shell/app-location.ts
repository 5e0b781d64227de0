// Where the explorer's own page lives, and the one test of "is this URL our page?".
//
// Every trust decision in the shell (navigation, IPC senders) reduces to this test, so it is strict:
// in production only the built index.html (any #fragment or ?query), in development only the exact
// origin of the Vite dev server, which must be http on loopback.
//
// The file test compares resolved file paths, not URL strings: the same file has many URL spellings
// (Electron's loadFile builds its URL with the legacy url.format, Node's pathToFileURL escapes
// `[`, `]`, `|` and `%`, Chromium canonicalises in its own way, Windows adds drive letters, UNC hosts
// and case-insensitive names), and a string comparison refused every IPC call for install paths
// such as `C:\Users\Ann\100% [beta]\` or `\\server\apps\`.
import { posix, win32 } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export type RendererLocation =
  { kind: 'file'; indexPath: string; indexUrl: string; windows: boolean } | { kind: 'dev'; url: string; origin: string }

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** `devUrl` is electron-vite's ELECTRON_RENDERER_URL; honoured only when the app is not packaged. */
export function rendererLocation(options: {
  devUrl?: string
  indexPath: string
  packaged: boolean
  platform?: NodeJS.Platform
}): RendererLocation {
  if (options.devUrl && !options.packaged) {
    const url = new URL(options.devUrl)
    if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
      throw new Error(`the renderer dev server must be http on loopback, got ${url.origin}`)
    }
    return { kind: 'dev', url: url.href, origin: url.origin }
  }
  const windows = (options.platform ?? process.platform) === 'win32'
  // A URL that names exactly this file however its path is spelled (the window loads this one).
  const indexUrl = pathToFileURL(options.indexPath, { windows }).href
  return { kind: 'file', indexPath: options.indexPath, indexUrl, windows }
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
  if (url.protocol !== 'file:') return false
  // A host is a UNC share on Windows (file://server/share/…); elsewhere a file URL has none.
  if (url.host !== '' && !location.windows) return false
  let path: string
  try {
    path = fileURLToPath(url, { windows: location.windows })
  } catch {
    return false // e.g. an encoded slash, or a host on POSIX
  }
  return samePath(path, location.indexPath, location.windows)
}

function samePath(a: string, b: string, windows: boolean): boolean {
  const paths = windows ? win32 : posix
  const left = paths.normalize(a)
  const right = paths.normalize(b)
  return windows ? left.toLowerCase() === right.toLowerCase() : left === right
}
