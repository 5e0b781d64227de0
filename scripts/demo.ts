// `npm run demo`: builds a small demo cache with the real msb (shared layers, aliases, one image
// under three tags, images in use by sandboxes and pinned by snapshots) in a private home, then opens
// the explorer on it. The user's own ~/.microsandbox is never touched.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMsbAvailable } from '../src/main/fixtures/msb'
import { buildScenario, standardScenario } from '../src/main/fixtures/scenarios'

function main(): void {
  if (!isMsbAvailable()) {
    console.error('The demo needs the msb CLI from npm (@superradcompany/microsandbox-linux-x64-gnu); run npm install first.')
    process.exit(1)
  }
  const home = mkdtempSync(join(tmpdir(), 'image-cache-explorer-demo-'))
  const started = Date.now()
  const built = buildScenario(home, standardScenario())
  console.log(`Built a demo cache with msb in ${Date.now() - started} ms: ${built.references.size} references, in ${home}`)
  if (process.argv.includes('--build-only')) return
  const child = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, 'start.ts'), '--home', home, ...process.argv.slice(2)], {
    stdio: 'inherit'
  })
  const cleanup = () => rmSync(home, { recursive: true, force: true })
  child.on('exit', (code) => {
    cleanup()
    process.exit(code ?? 0)
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
}

main()
