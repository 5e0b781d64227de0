// `npm run demo`: builds a small demo cache with the real msb (src/main/demo/demo-cache.ts) in a private
// home, then opens the explorer on it and removes the home again when the explorer exits. The user's
// own ~/.microsandbox is never touched.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildDemoCache, demoMsb, isDemoAvailable } from '../src/main/demo/demo-cache'

function main(): void {
  if (!isDemoAvailable()) {
    console.error(
      'The demo needs the msb CLI from npm (@superradcompany/microsandbox-linux-x64-gnu); run npm install first.'
    )
    process.exit(1)
  }
  const started = Date.now()
  const home = buildDemoCache()
  console.log(`Built a demo cache with msb ${demoMsb()} in ${Date.now() - started} ms, in ${home}`)
  if (process.argv.includes('--build-only')) return
  const child = spawn(
    process.execPath,
    [...process.execArgv, join(import.meta.dirname, 'start.ts'), '--home', home, ...process.argv.slice(2)],
    {
      stdio: 'inherit'
    }
  )
  const cleanup = () => rmSync(home, { recursive: true, force: true })
  child.on('exit', (code) => {
    cleanup()
    process.exit(code ?? 0)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
}

main()
