// The Content-Security-Policy of the explorer's page, in one place for every way it is served:
// the Electron session (response header), the built index.html (meta tag, see electron.vite.config.ts)
// and the serve mode's HTTP server.
//
// Production needs nothing inline: Vite emits scripts and styles as files, and React sets `style`
// props through the CSSOM, which CSP does not govern. Only Vite's dev server injects an inline
// React-refresh preamble and <style> tags, and talks to its HMR socket, so `dev` relaxes exactly that.

export interface CspOptions {
  /** Vite dev server in use (never in a packaged app or in serve mode). */
  dev?: boolean
  /** A <meta> tag cannot carry frame-ancestors (browsers ignore it there and warn), so it is left out. */
  delivery?: 'header' | 'meta'
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.dev === true
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', dev ? ["'self'", 'ws:'] : ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]]
  ]
  return directives
    .filter(([name]) => !(options.delivery === 'meta' && name === 'frame-ancestors'))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ')
}
