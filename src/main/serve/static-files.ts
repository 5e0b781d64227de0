// Maps a request path to a file of the built renderer, and refuses everything that would leave it.
//
// The raw path is decoded once, rejected if it holds NUL, backslashes or dot-dot segments (raw or
// percent-encoded), then resolved and re-checked to lie inside the root, and finally realpath'd so a
// symlink inside the build cannot point out of it. Unknown paths without an extension get
// index.html (the page routes itself); unknown assets are 404.
import { realpathSync, statSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8'
}

export type StaticLookup =
  { kind: 'file'; path: string; contentType: string } | { kind: 'refused' } | { kind: 'missing' }

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

export function lookupStatic(root: string, rawPath: string): StaticLookup {
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return { kind: 'refused' }
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' }
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return { kind: 'refused' }

  const realRoot = realpathSync(root)
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1)
  const candidate = resolve(realRoot, relative)
  if (!isInside(realRoot, candidate)) return { kind: 'refused' }

  const found = existingFile(realRoot, candidate)
  if (found === 'outside') return { kind: 'refused' }
  if (found) return { kind: 'file', path: found, contentType: contentTypeOf(found) }
  if (extname(decoded) === '') {
    const index = join(realRoot, 'index.html')
    return { kind: 'file', path: index, contentType: contentTypeOf(index) }
  }
  return { kind: 'missing' }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep)
}

/** The real path of a regular file inside root; 'outside' if a symlink leads out; null if none. */
function existingFile(root: string, path: string): string | 'outside' | null {
  let real: string
  try {
    real = realpathSync(path)
  } catch {
    return null
  }
  if (!isInside(root, real)) return 'outside'
  try {
    return statSync(real).isFile() ? real : null
  } catch {
    return null
  }
}
