// Makes `import … from 'electron'` (and `require('electron')`) load the stand-in instead of the
// Electron npm package. Loaded before the app: `node --import tsx --import ./register.ts out/main/index.js`.
// Nothing else is redirected: the app's own modules, better-sqlite3 and the worker load as they are.
import { registerHooks } from 'node:module'

const standIn = new URL('./electron.ts', import.meta.url).href

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron' || specifier === 'electron/main') return { url: standIn, shortCircuit: true }
    return nextResolve(specifier, context)
  }
})
