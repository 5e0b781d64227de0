// The init script a stand-in window runs in every frame: page-runtime.js applied to the preload
// bundle the window's webPreferences name. A preload file that cannot be read fails the way
// Electron's does: "Unable to load preload script" on the page's console, and no bridge.
import { readFileSync } from 'node:fs'

export interface PreloadConfig {
  binding: string
  receiver: string
  preloadPath: string | undefined
  chrome: string
}

const runtime = readFileSync(new URL('./page-runtime.js', import.meta.url), 'utf8')

export function preloadInitScript(config: PreloadConfig): string {
  let body = ''
  if (config.preloadPath) {
    try {
      body = readFileSync(config.preloadPath, 'utf8')
    } catch (error) {
      body = `throw new Error(${JSON.stringify((error as Error).message)})`
    }
  }
  const settings = { ...config, platform: process.platform, arch: process.arch }
  return `${runtime}(${JSON.stringify(settings)}, function (require, module, exports, process, global) {\n${body}\n})\n//# sourceURL=electron-standin-preload.js\n`
}
