// The Vite plugin that writes the page's CSP (csp.ts) into index.html as a <meta> tag, so file://
// pages in Electron carry the same policy as the session header and serve mode. The product build
// (electron.vite.config.ts) and the browser e2e build (e2e/support/build-renderer.ts) both use it,
// so the tests see exactly the policy users run.
import type { IndexHtmlTransformContext, Plugin } from 'vite'
import { contentSecurityPolicy } from './csp'

const CSP_META = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>/i

/** The page with its CSP meta tag replaced (or added) by the one policy of csp.ts. */
export function withCspMeta(html: string, context: Pick<IndexHtmlTransformContext, 'server'>): string {
  // Only Vite's dev server needs the relaxed policy; `vite build` has no server.
  const dev = context.server !== undefined
  const tag = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ dev, delivery: 'meta' })}" />`
  return CSP_META.test(html) ? html.replace(CSP_META, tag) : html.replace(/<head>/i, `<head>\n    ${tag}`)
}

export function cspMetaPlugin(): Plugin {
  return {
    name: 'explorer:csp-meta',
    transformIndexHtml: (html, context) => withCspMeta(html, context)
  }
}
