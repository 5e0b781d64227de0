// Builds the renderer alone (plain Vite, no Electron) into its own folder for the browser e2e, so a
// concurrent `electron-vite build` writing out/renderer never races with the tests. The page gets the
// same CSP meta tag as the product build (src/main/shell/csp.ts), so e2e sees what users run.
import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import { build, type Plugin } from 'vite'
import { contentSecurityPolicy } from '../../src/main/shell/csp'

export const REPO_ROOT = resolve(import.meta.dirname, '../..')
export const E2E_RENDERER_DIR = resolve(REPO_ROOT, 'out/renderer-e2e')

const CSP_META = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>/i

// Browsers ignore these in a <meta> policy and log a console error for each (the server sends them
// as a header anyway).
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox']

function productCsp(): Plugin {
  const policy = contentSecurityPolicy()
    .split(';')
    .map((d) => d.trim())
    .filter((d) => !HEADER_ONLY.includes(d.split(/\s+/)[0] ?? ''))
    .join('; ')
  return {
    name: 'e2e:csp-meta',
    transformIndexHtml: (html) => html.replace(CSP_META, `<meta http-equiv="Content-Security-Policy" content="${policy}" />`)
  }
}

export async function buildRenderer(outDir = E2E_RENDERER_DIR): Promise<string> {
  await build({
    configFile: false,
    root: resolve(REPO_ROOT, 'src/renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react(), productCsp()],
    build: { outDir, emptyOutDir: true, sourcemap: false, reportCompressedSize: false }
  })
  return outDir
}
