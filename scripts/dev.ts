// `npm run dev`: electron-vite's dev server with hot reload, on the Electron binary launch-plan.ts
// finds (or downloads on first use), handed over as ELECTRON_EXEC_PATH. Without it electron-vite
// only says "Electron uninstall"; here the user gets the reason and the alternative.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { electronViteEnv, planLaunch } from './launch-plan'

const root = resolve(import.meta.dirname, '..')
const plan = planLaunch(root)
if (plan.mode === 'serve') {
  console.error(`The desktop app cannot start here: ${plan.reason}. \`npm run serve\` shows the explorer in a browser.`)
  process.exit(1)
}
const child = spawn(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'dev', ...process.argv.slice(2)],
  {
    cwd: root,
    env: electronViteEnv(plan.binary, process.env),
    stdio: 'inherit'
  }
)
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
