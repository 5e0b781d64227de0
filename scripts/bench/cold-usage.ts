// `npm run bench:cold-usage`: only the "cold usage" figures of `bench:speed`, quickly: a whole `new Cache()` +
// `usage()` in process (wall and CPU time, median of several runs, each with a new Cache), once with every file
// lstat-ed and once with sizes stored by an earlier session, beside the `find DIRS -printf %s` floor measured
// in the same run. Prints figures; asserts nothing. Reads the benchmark cache, never writes to it.
//
// In-process runs share what a process memoises (reference keys, file names) and a warm JIT, as a window
// asking again after a change does. `--fresh` also times each run in a new process (only the call is timed,
// not the start, which includes loading SQLite's native module): the very first `usage` of `ice df`, or of a
// new window, which has listed the images (and so loaded SQLite) just before.
//
//   npm run bench:cold-usage [-- --images 10000] [-- --runs 9] [-- --only lstat|stored] [-- --fresh] [-- --json]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openCache } from '../../src/main/core/cache'
import { ensureFixture } from './fixture-store'
import { load, type Sample, sample, timeProcess } from './timing'

const option = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined
const images = Number(option('--images') ?? 10000)
const reps = Number(option('--runs') ?? 9)
const only = option('--only')
const log = (line: string) => process.stderr.write(`${line}\n`)

interface Run {
  wall: number
  /** The whole process: this thread and the engine's compiler and garbage-collector threads. */
  cpu: number
  /** This thread alone (process.threadCpuUsage, Node 23.9+; else the process figure). */
  threadCpu: number
}

interface Figures {
  wall: Sample
  cpu: number
  threadCpu: number
}

const ms = (u: { user: number; system: number }) => (u.user + u.system) / 1000
const threadCpu = (): { user: number; system: number } =>
  typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : process.cpuUsage()

/** One timed `new Cache()` + `usage()`. */
function measureOnce(home: string, sizeStoreDir?: string): Run {
  const cpu = process.cpuUsage()
  const thread = threadCpu()
  const t = performance.now()
  const c = openCache({ home, ...(sizeStoreDir ? { sizeStoreDir } : {}) })
  c.usage()
  c.close()
  const wall = performance.now() - t
  const threadNow = threadCpu()
  return {
    wall,
    cpu: ms(process.cpuUsage(cpu)),
    threadCpu: ms({ user: threadNow.user - thread.user, system: threadNow.system - thread.system })
  }
}

function figuresOf(runs: Run[]): Figures {
  const median = (values: number[]) => sample(values).median
  return {
    wall: sample(runs.map((r) => r.wall)),
    cpu: median(runs.map((r) => r.cpu)),
    threadCpu: median(runs.map((r) => r.threadCpu))
  }
}

// A child of `--fresh`: one timed call, its figures on stdout.
if (option('--child') !== undefined) {
  // Part of starting the process, as in the window (which listed images first) and `ice df` (its start).
  new Database(':memory:').close()
  console.log(JSON.stringify(measureOnce(option('--home')!, option('--store'))))
  process.exit(0)
}

function inProcess(runs: number, home: string, store?: string): Figures {
  return figuresOf(Array.from({ length: runs }, () => measureOnce(home, store)))
}

function fresh(runs: number, home: string, store?: string): Figures {
  const out: Run[] = []
  for (let i = 0; i < runs; i++) {
    const args = [...process.execArgv, process.argv[1], '--child', '1', '--home', home]
    const r = spawnSync(process.execPath, store ? [...args, '--store', store] : args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`fresh run: ${r.stderr.slice(-500)}`)
    out.push(JSON.parse(r.stdout) as Run)
  }
  return figuresOf(out)
}

const fixture = ensureFixture(images)
const home = fixture.home
const freshToo = process.argv.includes('--fresh')
const loadBefore = load()
const dirs = ['layers', 'fsmeta', 'vmdk', 'manifests'].map((d) => join(home, 'cache', d))

const figures: Record<string, Figures> = {}
const floorRuns: number[] = []
const findOnce = () => floorRuns.push(timeProcess('find', [...dirs, '-printf', '%s\n']).ms)

if (only !== 'stored') {
  findOnce()
  figures.lstat = inProcess(reps, home)
  if (freshToo) figures.lstatFresh = fresh(reps, home)
}
if (only !== 'lstat') {
  const store = mkdtempSync(join(tmpdir(), 'ice-bench-sizes-'))
  try {
    openCache({ home, sizeStoreDir: store }).usage()
    findOnce()
    figures.stored = inProcess(reps, home, store)
    if (freshToo) figures.storedFresh = fresh(reps, home, store)
  } finally {
    rmSync(store, { recursive: true, force: true })
  }
}
for (let i = 0; i < 3; i++) findOnce()
const floor = sample(floorRuns)
const loadAfter = load()

const fmt = (f: Figures) =>
  `${f.wall.median.toFixed(0)} ms wall (min ${f.wall.min.toFixed(0)}), CPU ${f.cpu.toFixed(0)} ms (this thread ${f.threadCpu.toFixed(0)}); runs ${f.wall.runs.map((r) => r.toFixed(0)).join(' ')}`
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ loadBefore, loadAfter, floor, ...figures }))
} else {
  console.log(
    `${images} images; ${cpus().length} CPUs, Node ${process.version}; load ${loadBefore} before, ${loadAfter} after`
  )
  console.log(`median of ${reps} runs, each a new Cache`)
  if (figures.lstat) console.log(`cold usage, every file lstat-ed:   ${fmt(figures.lstat)}`)
  if (figures.lstatFresh) console.log(`  the same, each in a new process:  ${fmt(figures.lstatFresh)}`)
  if (figures.stored) console.log(`cold usage, sizes stored earlier:  ${fmt(figures.stored)}`)
  if (figures.storedFresh) console.log(`  the same, each in a new process:  ${fmt(figures.storedFresh)}`)
  console.log(`find -printf %s (process, floor):  ${floor.median.toFixed(0)} ms (min ${floor.min.toFixed(0)})`)
}
log('done')
