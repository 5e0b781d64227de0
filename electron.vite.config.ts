// electron-vite: one config, three processes (main, preload, renderer).
//
// - main has two entries: the app (index.ts) and the core worker (core-worker.ts), which the app
//   starts with `new Worker(out/main/core-worker.js)`. better-sqlite3 stays external (a native module,
//   unpacked from the asar by electron-builder.yml).
// - preload runs sandboxed, where `require` knows only a few Electron modules: it is one CommonJS
//   file with everything bundled in (about 1.5 kB: it takes the operation names from the zod-free
//   operation table, src/shared/operations.ts).
// - renderer is a plain Vite + React app; the build writes the CSP from src/main/shell/csp.ts into
//   index.html (csp-meta-plugin.ts, which the e2e build uses too), so file:// pages carry the same
//   policy as the session header and serve mode.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { cspMetaPlugin } from './src/main/shell/csp-meta-plugin'

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'core-worker': resolve(__dirname, 'src/main/transport/core-worker.ts')
        },
        external: ['better-sqlite3']
      }
    }
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), cspMetaPlugin()],
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') }
      }
    }
  }
})
