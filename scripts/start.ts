// `npm start`: the production build (electron-vite's convention: start = preview of the build,
// `npm run dev` = hot reload), so the user runs the app that is tested and packaged. The desktop app
// when this machine can show it (downloading Electron on first use, launch-plan.ts), otherwise the
// same explorer served to a browser (serve mode), so `npm start` always gives the user something to
// look at. Both build first (`electron-vite build`, a few seconds), so a stale out/ is never shown.
//
//   npm start -- [--home DIR] [--port N]
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { runServe } from '../src/main/serve/run-serve'
import { electronViteEnv, planLaunch } from './launch-plan'

const root = resolve(import.meta.dirname, '..')
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')

const { values } = parseArgs({
  options: { home: { type: 'string' }, port: { type: 'string' } },
  allowPositionals: false
})
const home = values.home ? resolve(values.home) : undefined
const port = values.port ? Number(values.port) : undefined
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`--port must be a port number, got ${values.port}`)
  process.exit(2)
}

const plan = planLaunch(root)
if (plan.mode === 'desktop') {
  // The desktop app reads the home from MSB_HOME, exactly as msb does.
  const env = electronViteEnv(plan.binary, process.env, home)
  // `preview` builds out/ and starts Electron on it: out/main/index.js loading the built file:// page.
  const child = spawn(process.execPath, [electronVite, 'preview'], { cwd: root, env, stdio: 'inherit' })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
} else {
  console.log(`The desktop window cannot open here (${plan.reason}); serving the explorer in your browser instead.`)
  const staticDir = join(root, 'out', 'renderer')
  const build = spawnSync(process.execPath, [electronVite, 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit']
  })
  if (build.status !== 0 || !existsSync(join(staticDir, 'index.html'))) {
    console.error('building the explorer failed (electron-vite build)')
    process.exit(1)
  }
  await runServe({ home, port, staticDir })
}
