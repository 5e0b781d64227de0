// What the e2e specs run: the renderer alone for the serve project (its own folder, see
// build-renderer.ts) and the real desktop build (`electron-vite build`: out/main, out/preload,
// out/renderer) for the desktop project. Both at once: each is mostly one process on one core.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { buildRenderer, REPO_ROOT } from './build-renderer'

function electronViteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'ignore', 'inherit']
      }
    )
    build.on('error', reject)
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('electron-vite build failed'))))
  })
}

export async function buildForE2e(): Promise<void> {
  await Promise.all([buildRenderer(), electronViteBuild()])
}
