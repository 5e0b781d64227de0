// electron-vite: one config, three processes (main, preload, renderer).
//
// - main has two entries: the app (index.ts) and the core worker (core-worker.ts), which the app
//   starts with `new Worker(out/main/core-worker.js)`. better-sqlite3 and koffi (flock for msb's locks)
//   stay external (native modules, unpacked from the asar by electron-builder.yml). A third entry is the `ice` command line
//   (src/main/cli/ice.ts, package.json `bin.ice`), a fourth the helper thread disk usage lists the cache's
//   folders on (src/main/core/usage/listing-worker.ts).
// - preload runs sandboxed, where `require` knows only a few Electron modules: it is one CommonJS
//   file with everything bundled in (about 1.5 kB: it takes the operation names from the zod-free
//   operation table, src/shared/operations.ts).
// - renderer is a plain Vite + React app; the build writes the CSP from src/main/shell/csp.ts into
//   index.html (csp-meta-plugin.ts, which the e2e build uses too), so file:// pages carry the same
//   policy as the session header and serve mode.
import { chmodSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { cspMetaPlugin } from './src/main/shell/csp-meta-plugin'

/** Marks the built `ice` bin executable, so `out/main/ice.js` runs by its shebang without `npm link`. */
function executableBin(): Plugin {
  return {
    name: 'executable-bin',
    writeBundle(options) {
      if (process.platform !== 'win32' && options.dir) chmodSync(join(options.dir, 'ice.js'), 0o755)
    }
  }
}

export default defineConfig({
  main: {
    plugins: [executableBin()],
    build: {
      // zod is bundled, not loaded from node_modules: its package entry imports every message locale
      // (~50 modules), a tenth of a second of each `ice` command that validates; bundled, only what
      // the schemas use is kept.
      externalizeDeps: { exclude: ['zod'] },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'core-worker': resolve(__dirname, 'src/main/transport/core-worker.ts'),
          // The helper thread that lists the cache's folders for disk usage (listing-prefetch.ts).
          'listing-worker': resolve(__dirname, 'src/main/core/usage/listing-worker.ts'),
          ice: resolve(__dirname, 'src/main/cli/ice.ts')
        },
        external: ['better-sqlite3', 'koffi'],
        // `ice` is package.json's bin: executable by its shebang.
        output: { banner: (chunk) => (chunk.name === 'ice' ? '#!/usr/bin/env node' : '') }
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
      // electron-vite leaves every bundle unminified; the page's is parsed on every window open
      // (940 kB → 410 kB minified), as the e2e and bench builds (plain Vite) already were.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') }
      }
    }
  }
})
