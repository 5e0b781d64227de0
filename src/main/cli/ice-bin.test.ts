// The built `ice` bin (package.json `bin.ice`, what `npm link` or a global install puts on a PATH)
// works whichever Node starts it: Node 20, the README's minimum, hands over to the project's Node 24
// (the `node` package in node_modules); Node 24 runs it itself. Built once by the real electron-vite
// build, into a folder of its own so a running app's out/ is untouched.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildScenario, standardScenario } from '../../../test-support/fixtures/scenarios'
import { msbJson } from '../demo/msb'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')
// Beside out/ (the bin reads ../../package.json and finds node_modules above it as the installed one does).
const OUT = join(ROOT, '.ice-bin-test')
const ICE = join(OUT, 'main', 'ice.js')
const PROJECT_NODE = join(ROOT, 'node_modules', 'node', 'bin', 'node')

/** The machine's own `node` (the first on PATH outside node_modules, which npm puts first). */
function machineNode(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue
    if (existsSync(join(dir, 'node'))) return join(dir, 'node')
  }
  return undefined
}

const versionOf = (node: string) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
const MACHINE_NODE = machineNode()

let root: string
let home: string

beforeAll(() => {
  const build = spawnSync(
    PROJECT_NODE,
    [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', OUT],
    { cwd: ROOT, encoding: 'utf8' }
  )
  if (build.status !== 0) throw new Error(`electron-vite build failed: ${build.stderr}`)
  root = mkdtempSync(join(tmpdir(), 'ice-bin-'))
  home = join(root, 'home')
  buildScenario(home, standardScenario())
})
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
  rmSync(OUT, { recursive: true, force: true })
})

const run = (node: string, args: string[]) =>
  spawnSync(node, [ICE, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })

describe.each([
  // The machine's Node is 20 here; the test is about an old Node, so it is skipped where there is none.
  { name: `the machine's Node (${MACHINE_NODE ? versionOf(MACHINE_NODE) : 'none'})`, node: MACHINE_NODE },
  { name: 'the project Node 24', node: PROJECT_NODE }
])('the built ice under $name', ({ node }) => {
  it.skipIf(node === undefined)('prints its version and lists the images as msb does', () => {
    const version = run(node!, ['--version', '--home', home])
    expect(version.stderr).toBe('')
    expect(version.status).toBe(0)
    expect(version.stdout).toMatch(/^image-cache-explorer \d+\.\d+\.\d+\n/)

    const ls = run(node!, ['ls', '--json', '--home', home])
    expect(ls.status).toBe(0)
    const ours = (JSON.parse(ls.stdout) as { reference: string }[]).map((i) => i.reference)
    const msbs = msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)
    expect(ours).toEqual(msbs)
  })
})
