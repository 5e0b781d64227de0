// Builds the renderer alone (plain Vite, no Electron) into its own folder for the browser e2e, so a
// concurrent `electron-vite build` writing out/renderer never races with the tests. The page gets its
// CSP meta tag from the product build's own plugin (src/main/shell/csp-meta-plugin.ts), so e2e sees
// exactly the policy users run.
import react from '@vitejs/plugin-react'
import { resolve } from 'node:path'
import { build } from 'vite'
import { cspMetaPlugin } from '../../src/main/shell/csp-meta-plugin'

export const REPO_ROOT = resolve(import.meta.dirname, '../..')
export const E2E_RENDERER_DIR = resolve(REPO_ROOT, 'out/renderer-e2e')

export async function buildRenderer(outDir = E2E_RENDERER_DIR): Promise<string> {
  await build({
    configFile: false,
    root: resolve(REPO_ROOT, 'src/renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react(), cspMetaPlugin()],
    build: { outDir, emptyOutDir: true, sourcemap: false, reportCompressedSize: false }
  })
  return outDir
}
