// The built `ice` bin (package.json `bin.ice`, what `npm link` or a global install puts on a PATH)
// works whichever Node starts it: Node 20, the README's minimum, hands over to the project's Node 24
// (the `node` package in node_modules); Node 24 runs it itself. Built once by the real electron-vite
// build, into a folder of its own so a running app's out/ is untouched.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildScenario, standardScenario } from '../../../test-support/fixtures/scenarios'
import { openCache } from '../core/cache'
import { buildCache } from '../demo/build-cache'
import { msbJson } from '../demo/msb'
import { smallImage } from '../../../test-support/core/small-scenario'
import { runCli } from '../../../test-support/fixtures/cli-capture'

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

// The bin keeps sizes and listings in the user's cache folder: a folder of the test's own.
const run = (node: string, args: string[]) =>
  spawnSync(node, [ICE, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(root, 'xdg') }
  })

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

describe('the built ice keeps the figures `ice ls` prints between runs (listing-store.ts)', () => {
  it('gives the same listing from what it kept, and lists an image msb loads after it', async () => {
    const listings = join(root, 'xdg', 'image-cache-explorer', 'sizes', 'listings')
    const ls = () => {
      const r = run(PROJECT_NODE, ['ls', '--home', home])
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      return r.stdout
    }
    // The first read may leave the database's -wal behind: a listing is kept once nothing moved since.
    const first = ls()
    expect(ls()).toBe(first)
    const [kept] = readdirSync(listings).filter((name) => name.endsWith('.v8'))
    const keptAt = statSync(join(listings, kept)).mtimeMs
    expect(ls()).toBe(first)
    // Found, not made again.
    expect(statSync(join(listings, kept)).mtimeMs).toBe(keptAt)

    buildCache(home, [{ reference: 'localhost/after-the-listing:1', image: smallImage('after', []) }])
    const folders = join(root, 'xdg', 'image-cache-explorer', 'sizes', 'listings', 'folders')
    const keptFolders = () => readdirSync(folders).map((name) => `${name}:${statSync(join(folders, name)).mtimeMs}`)
    const keptBefore = keptFolders()
    const after = ls()
    expect(after).toContain('localhost/after-the-listing:1')
    expect(after.split('\n').filter((line) => line.startsWith('localhost/after-the-listing:1 '))).toHaveLength(1)
    // The folders msb changed were listed on the helper (which kept them anew), and the stored sizes took
    // those listings: the figures are the ones an lstat of every file here gives (from the sources, no helper).
    expect(keptFolders()).not.toEqual(keptBefore)
    const inProcess = await runCli(['ls', '--home', home], { NO_COLOR: '1' })
    expect(after).toBe(inProcess.stdout)
  })
})

describe('the built ice lists the cache folders for disk usage on a helper thread (listing-prefetch.ts)', () => {
  it('gives the disk usage the in-process walk gives, from the listings it kept too, and sees a change', () => {
    expect(existsSync(join(OUT, 'main', 'listing-worker.js'))).toBe(true)
    const folders = join(root, 'xdg', 'image-cache-explorer', 'sizes', 'listings', 'folders')
    const df = () => {
      const r = run(PROJECT_NODE, ['df', '--json', '--home', home])
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      return JSON.parse(r.stdout) as unknown
    }
    // From the sources no helper starts and nothing is kept: every folder is listed on this thread.
    const inProcess = () => {
      const cache = openCache({ home })
      try {
        return JSON.parse(JSON.stringify(cache.usage())) as unknown
      } finally {
        cache.close()
      }
    }
    expect(df()).toEqual(inProcess())
    // The helper kept the four content folders' listings (kept-folder-listings.ts); the next run reads them.
    const kept = () => readdirSync(folders).map((name) => `${name}:${statSync(join(folders, name)).mtimeMs}`)
    const keptBefore = kept()
    expect(keptBefore).toHaveLength(4)
    expect(df()).toEqual(inProcess())
    expect(kept()).toEqual(keptBefore)

    buildCache(home, [{ reference: 'localhost/after-the-usage:1', image: smallImage('after-usage', [], 12) }])
    expect(df()).toEqual(inProcess())
  })
})
