// Before the specs: the renderer alone for the serve project (its own folder, see build-renderer.ts),
// and the real desktop build (`electron-vite build`: out/main, out/preload, out/renderer) that the
// desktop project runs on the Electron stand-in.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { buildRenderer, REPO_ROOT } from './build-renderer'

export default async function globalSetup(): Promise<void> {
  await buildRenderer()
  const build = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit']
    }
  )
  if (build.status !== 0) throw new Error('electron-vite build failed')
}
