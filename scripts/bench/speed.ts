// `npm run bench:speed`: the figures of "useful at once" at 10,000 images, each beside its peer and measured in
// the same run: page open → first rows vs `msb image ls`; cold usage vs the `find` floor; a remove plan and a
// remove of one image vs `msb image rm` and the SDK; 100 references in one `ice rm` vs one `msb image rm`;
// `ice ls` (human and --json), `ice df` and `ice prune --dry-run` vs `msb image ls`; a prune of everything from
// the window (serve mode's HTTP, the page's own path) vs `ice prune` vs `msb image prune`, on identical copies,
// interleaved; the first progress event of a prune. Prints figures and each target's ratio; asserts nothing.
//
//   npm run bench:speed [-- --images 10000] [-- --quick] [-- --only cli,remove,prune,page,core]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { buildRenderer } from '../../e2e/support/build-renderer'
import { holdDatabaseOpen } from '../../test-support/core/database-holder'
import { openCache } from '../../src/main/core/cache'
import { msbBinary } from '../../src/main/demo/msb'
import { runServe } from '../../src/main/serve/run-serve'
import type { OperationProgress } from '../../src/shared/contract'
import { BENCH_DIR, copyHome, dropCopy, ensureFixture } from './fixture-store'
import type { SdkTimes } from './sdk-probe'
import { load, type Sample, sample, timeProcess, timeSync } from './timing'

const option = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined
const images = Number(option('--images') ?? 10000)
const quick = process.argv.includes('--quick')
const reps = quick ? 3 : 7
// Parts to run (all by default): each is measured against its peer in the same part, so a subset is still fair.
const only = option('--only')?.split(',')
const part = (name: string) => !only || only.includes(name)
const ROOT = resolve(import.meta.dirname, '..', '..')
const NODE = process.execPath
const ICE = resolve(ROOT, 'out', 'main', 'ice.js')
const log = (line: string) => process.stderr.write(`${line}\n`)
const rows: string[][] = []
const ms = (s: Sample | number) => (typeof s === 'number' ? s : s.median).toFixed(1)
/** "✓ met" / "✗ missed" for a target "ours ≤ k × peer", with ours ÷ peer. */
const within = (ours: Sample | number, theirs: Sample | number, k: number) => {
  const times = Number(ms(ours)) / Math.max(0.01, Number(ms(theirs)))
  return `target ≤ ${k}× peer: ${times <= k ? '✓ met' : '✗ MISSED'} (${times.toFixed(2)}×)`
}
const row = (what: string, ours: Sample | number, peer: string, theirs: Sample | number | null, note = '') => {
  const ratio = theirs === null ? '' : `${(Number(ms(theirs)) / Math.max(0.01, Number(ms(ours)))).toFixed(2)}×`
  const cpu = typeof ours === 'object' && ours.cpuMedian !== undefined ? ` (cpu ${ours.cpuMedian.toFixed(0)})` : ''
  rows.push([what, `${ms(ours)}${cpu}`, peer, theirs === null ? '' : ms(theirs), ratio, note])
}

function msb(home: string, args: string[]): number {
  const r = timeProcess(msbBinary(), args, { MSB_HOME: home, NO_COLOR: '1' })
  if (r.status !== 0) throw new Error(`msb ${args.join(' ')}: ${r.stderr.slice(-300)}`)
  return r.ms
}

// The sizes `ice` keeps between runs go to a folder of this run's own (never the user's ~/.cache).
const sizeStore = mkdtempSync(join(tmpdir(), 'ice-bench-xdg-'))
function ice(args: string[], xdgCache = sizeStore): number {
  const r = timeProcess(NODE, [ICE, ...args], { XDG_CACHE_HOME: xdgCache })
  if (r.status !== 0) throw new Error(`ice ${args.join(' ')}: ${r.stderr.slice(-300)}`)
  return r.ms
}

const fixture = ensureFixture(images)
const home = fixture.home
if (!existsSync(ICE)) spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' })
const loadBefore = load()
const probe = openCache({ home })
const listed = probe.list().map((i) => i.reference)
const usage = probe.usage()
probe.close()
// Unpinned images without an alias (bench-spec.ts: the even app-N images), from the middle of the list.
const pinned = new Set(
  usage.images.filter((u) => u.sandboxes.length || u.snapshots.length || u.aliases.length).map((u) => u.reference)
)
const removable = listed.filter((r) => /app-\d*[02468]:v/.test(r) && !pinned.has(r))
const middle = removable.slice(removable.length >> 1)

const lsRuns = {
  msb: [] as number[],
  msbHuman: [] as number[],
  ice: [] as number[],
  iceHuman: [] as number[],
  iceHumanFresh: [] as number[],
  df: [] as number[],
  dfFresh: [] as number[],
  dryRun: [] as number[],
  find: [] as number[]
}
const dirs = ['layers', 'fsmeta', 'vmdk', 'manifests'].map((d) => join(home, 'cache', d))
if (part('cli')) {
  log(`whole processes, interleaved (${reps} each): msb ls, ice ls / df / prune --dry-run, find`)
  // Untimed: the first run measures every file and stores the sizes and each image's figures
  // (listing-store.ts), as a user's first `ice` call does.
  ice(['df', '--home', home])
}
for (let i = 0; part('cli') && i < reps; i++) {
  lsRuns.msb.push(msb(home, ['image', 'ls', '--format', 'json']))
  lsRuns.msbHuman.push(msb(home, ['image', 'ls']))
  lsRuns.ice.push(ice(['ls', '--json', '--home', home]))
  lsRuns.iceHuman.push(ice(['ls', '--home', home]))
  lsRuns.df.push(ice(['df', '--home', home]))
  lsRuns.dryRun.push(ice(['prune', '--dry-run', '--home', home]))
  lsRuns.find.push(timeProcess('find', [...dirs, '-printf', '%s\n']).ms)
  // A first call on this cache: no sizes stored yet, every file lstat-ed.
  const fresh = mkdtempSync(join(tmpdir(), 'ice-bench-xdg-fresh-'))
  lsRuns.iceHumanFresh.push(ice(['ls', '--home', home], fresh))
  rmSync(fresh, { recursive: true, force: true })
  const fresh2 = mkdtempSync(join(tmpdir(), 'ice-bench-xdg-fresh-'))
  lsRuns.dfFresh.push(ice(['df', '--home', home], fresh2))
  rmSync(fresh2, { recursive: true, force: true })
}
// The page's first rows are compared with msb's ls too; measured here, or with the page when cli is skipped.
const msbLsSample = () =>
  sample(
    lsRuns.msb.length ? lsRuns.msb : Array.from({ length: reps }, () => msb(home, ['image', 'ls', '--format', 'json']))
  )
if (part('cli')) {
  const msbLs = sample(lsRuns.msb)
  const msbHuman = sample(lsRuns.msbHuman)
  const add = (what: string, runs: number[], peer: string, theirs: Sample, k: number) =>
    row(what, sample(runs), peer, theirs, within(sample(runs), theirs, k))
  add('ice ls --json (process)', lsRuns.ice, 'msb image ls --format json', msbLs, 1.5)
  add(
    'ice ls (human, process; sizes and figures kept by an earlier call)',
    lsRuns.iceHuman,
    'msb image ls',
    msbHuman,
    2
  )
  add('ice ls (human, process; first call, nothing kept)', lsRuns.iceHumanFresh, 'msb image ls', msbHuman, 2)
  add('ice df (process; sizes and figures kept by an earlier call)', lsRuns.df, 'msb image ls', msbHuman, 3)
  add('ice df (process; first call, nothing kept)', lsRuns.dfFresh, 'msb image ls', msbHuman, 3)
  add('ice prune --dry-run (process; sizes stored)', lsRuns.dryRun, 'msb image ls', msbHuman, 3)
}

if (part('core')) {
  log('in process: cold usage, with and without stored sizes; remove plans')
  const store = mkdtempSync(join(tmpdir(), 'ice-bench-sizes-'))
  const usageCold = timeSync(reps, () => {
    const c = openCache({ home })
    c.usage()
    c.close()
  })
  openCache({ home, sizeStoreDir: store }).usage()
  const usageStored = timeSync(reps, () => {
    const c = openCache({ home, sizeStoreDir: store })
    c.usage()
    c.close()
  })
  rmSync(store, { recursive: true, force: true })
  const findFloor = sample(lsRuns.find.length ? lsRuns.find : [timeProcess('find', [...dirs, '-printf', '%s\\n']).ms])
  row(
    'core usage, cold (new Cache, every file lstat-ed)',
    usageCold,
    '`find -printf %s` (process)',
    findFloor,
    'target < 300 ms'
  )
  row(
    'core usage, cold (new Cache, sizes stored by an earlier session)',
    usageStored,
    '`find -printf %s` (process)',
    findFloor,
    'target < 300 ms'
  )
  const planCold = timeSync(reps, (i) => {
    const c = openCache({ home })
    c.removePlan({ references: [middle[i]], force: false })
    c.close()
  })
  const warm = openCache({ home })
  warm.list()
  const planWarm = timeSync(reps, (i) => warm.removePlan({ references: [middle[i]], force: false }))
  warm.close()
  row('core removePlan, one image, cold (new Cache)', planCold, '', null, 'target < 50 ms')
  row('core removePlan, one image, warm', planWarm, '', null, 'target < 50 ms')
}

if (part('remove')) {
  log('remove one image: core (in process), ice rm, msb image rm, SDK — one copy each')
  const one = middle.slice(0, quick ? 2 : 4)
  const coreRemove = (() => {
    const copy = copyHome(fixture, 'speed-core-rm')
    try {
      const c = openCache({ home: copy })
      const s = timeSync(one.length, (i) => c.remove({ references: [one[i]], force: false }))
      c.close()
      return s
    } finally {
      dropCopy(copy)
    }
  })()
  const onCopy = (label: string, fn: (h: string) => number[]) => {
    const copy = copyHome(fixture, label)
    try {
      return sample(fn(copy))
    } finally {
      dropCopy(copy)
    }
  }
  const iceRemove = onCopy('speed-ice-rm', (h) => one.map((r) => ice(['rm', r, '--home', h])))
  const msbRemove = onCopy('speed-msb-rm', (h) => one.map((r) => msb(h, ['image', 'rm', r])))
  const sdkRemove = (() => {
    const copy = copyHome(fixture, 'speed-sdk-rm')
    try {
      const r = spawnSync(
        resolve(ROOT, 'node_modules/.bin/tsx'),
        [resolve(import.meta.dirname, 'sdk-probe.ts'), 'remove', ...one],
        {
          cwd: ROOT,
          env: { ...process.env, MSB_HOME: copy },
          encoding: 'utf8'
        }
      )
      return (JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as SdkTimes).remove ?? null
    } finally {
      dropCopy(copy)
    }
  })()
  // The same with another process holding the database open, as a running msb does: the grace period is waited.
  const iceRemoveBusy = await (async () => {
    const copy = copyHome(fixture, 'speed-ice-rm-busy')
    const holder = await holdDatabaseOpen(copy)
    try {
      return sample(one.map((r) => ice(['rm', r, '--home', copy])))
    } finally {
      holder.kill('SIGKILL')
      dropCopy(copy)
    }
  })()
  row('core remove one image (in process, no msb at work)', coreRemove, 'SDK Image.remove (in process)', sdkRemove)
  row(
    'ice rm one image (process, no msb at work)',
    iceRemove,
    'msb image rm (process)',
    msbRemove,
    within(iceRemove, msbRemove, 1.5)
  )
  row(
    'ice rm one image (process, another process has the database open: 250 ms grace)',
    iceRemoveBusy,
    'msb image rm (process)',
    msbRemove
  )

  log('100 references in one command: ice rm vs msb image rm')
  const hundred = removable.slice(0, 100)
  const iceBulk = onCopy('speed-ice-bulk', (h) => [ice(['rm', ...hundred, '--home', h])])
  const msbBulk = onCopy('speed-msb-bulk', (h) => [msb(h, ['image', 'rm', ...hundred])])
  row(
    `ice rm of ${hundred.length} references (one process)`,
    iceBulk,
    'msb image rm of the same (one process)',
    msbBulk,
    'target ≤ msb'
  )
}

/**
 * A prune of everything unused as the window makes it: serve mode's core worker over HTTP (the page's own
 * transport), after the dialog's plan (which, like the page's first load, measured the files), progress lines
 * streamed. Times the confirm → the answer.
 */
async function servePrune(copy: string) {
  const staticDir = mkdtempSync(join(tmpdir(), 'ice-bench-static-'))
  spawnSync('sh', ['-c', `echo '<!doctype html>' > ${join(staticDir, 'index.html')}`])
  const server = await runServe({ home: copy, staticDir, log: () => undefined, handleSignals: false })
  try {
    const planned = await fetch(`http://127.0.0.1:${server.port}/api/prunePlan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
      body: JSON.stringify({ scope: { kind: 'unused' } })
    })
    const { result: plan } = (await planned.json()) as { result: { fingerprint: string } }
    const t0 = performance.now()
    const response = await fetch(`http://127.0.0.1:${server.port}/api/prune`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-explorer-token': server.token,
        accept: 'application/x-ndjson'
      },
      body: JSON.stringify({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
    })
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let first: number | null = null
    let firstFiles: number | null = null
    let events = 0
    let text = ''
    type Answer = { result?: unknown; error?: unknown }
    let answer = null as Answer | null
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
      const lines = text.split('\n')
      text = lines.pop() ?? ''
      for (const line of lines) {
        const parsed = JSON.parse(line) as { progress?: OperationProgress }
        if (!parsed.progress) {
          answer = parsed as Answer
          continue
        }
        events++
        first ??= performance.now() - t0
        if (parsed.progress.operation === 'prune' && parsed.progress.filesMoved > 0)
          firstFiles ??= performance.now() - t0
      }
    }
    if (text.trim()) answer = JSON.parse(text) as Answer
    const total = performance.now() - t0
    if (!answer?.result) throw new Error(`prune through serve mode failed: ${JSON.stringify(answer)?.slice(0, 300)}`)
    return { first: first ?? NaN, firstFiles: firstFiles ?? NaN, total, events }
  } finally {
    await server.close()
    rmSync(staticDir, { recursive: true, force: true })
  }
}

if (part('prune')) {
  // Each tool prunes its own byte-identical copy; rounds rotate the order so a change of load hits all alike.
  const rounds = quick ? 1 : 3
  log(`prune of everything unused, ${rounds} round(s): the window (serve, HTTP), ice prune -y, msb image prune -y`)
  const runs = { window: [] as number[], ice: [] as number[], msb: [] as number[] }
  let firstRound: Awaited<ReturnType<typeof servePrune>> | null = null
  const tools: Record<keyof typeof runs, (copy: string) => Promise<number>> = {
    window: async (copy) => {
      const r = await servePrune(copy)
      firstRound ??= r
      return r.total
    },
    ice: async (copy) => ice(['prune', '-y', '--json', '--home', copy]),
    msb: async (copy) => msb(copy, ['image', 'prune', '-y'])
  }
  const order = Object.keys(tools) as (keyof typeof runs)[]
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < order.length; k++) {
      const tool = order[(round + k) % order.length]
      const copy = copyHome(fixture, `speed-prune-${tool}`)
      try {
        log(`  round ${round + 1}: ${tool}`)
        runs[tool].push(await tools[tool](copy))
      } finally {
        dropCopy(copy)
      }
    }
  }
  const [win, icePrune, msbPrune] = [sample(runs.window), sample(runs.ice), sample(runs.msb)]
  row(
    'prune everything, from the window (serve, HTTP)',
    win,
    'ice prune -y (process)',
    icePrune,
    within(win, icePrune, 1.2)
  )
  row(
    'prune everything, from the window (serve, HTTP)',
    win,
    'msb image prune -y (process)',
    msbPrune,
    within(win, msbPrune, 0.5)
  )
  row('ice prune -y (process)', icePrune, 'msb image prune -y (process)', msbPrune, within(icePrune, msbPrune, 0.5))
  const first = firstRound as Awaited<ReturnType<typeof servePrune>> | null
  if (first) {
    row('prune (serve, HTTP): request → first progress event', first.first, '', null, 'target < 250 ms')
    row(
      'prune (serve, HTTP): request → first file moved',
      first.firstFiles,
      '',
      null,
      `${first.events} events in ${(first.total / 1000).toFixed(1)} s`
    )
  }
}

if (part('page')) {
  log('the window: page open → first rows, in Chromium through serve mode')
  const page = await (async () => {
    const staticDir = await buildRenderer(resolve(BENCH_DIR, 'renderer'))
    const server = await runServe({ home, staticDir, log: () => undefined, handleSignals: false })
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu']
    })
    // Installed before the app's scripts (a string: the page's CSP is bypassed for it, as in ui.ts).
    const FIRST_ROW = `window.__firstRow = null
      new MutationObserver((_, obs) => {
        if (document.querySelector('.grid-body [role=row]')) { obs.disconnect(); window.__firstRow = performance.now() }
      }).observe(document, { childList: true, subtree: true })`
    try {
      const runs = { rows: [] as number[], usage: [] as number[] }
      for (let i = 0; i < (quick ? 2 : 4); i++) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true })
        const p = await context.newPage()
        await p.addInitScript(FIRST_ROW)
        await p.goto(server.url)
        await p.waitForFunction('window.__firstRow !== null', null, { timeout: 120_000 })
        // Both times from the page's own clock: navigation start = 0.
        const firstRow = await p.evaluate<number>('window.__firstRow')
        await p.getByTestId('measuring').waitFor({ state: 'detached', timeout: 120_000 })
        const usageAt = await p.evaluate<number>(
          () =>
            (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) =>
              e.name.endsWith('/api/usage')
            )?.responseEnd ?? NaN
        )
        runs.rows.push(firstRow)
        runs.usage.push(usageAt)
        await context.close()
      }
      return { rows: sample(runs.rows), usage: sample(runs.usage) }
    } finally {
      await browser.close()
      await server.close()
    }
  })()
  const msbLs = msbLsSample()
  row(
    'page open → first rows shown (serve, Chromium)',
    page.rows,
    'msb image ls --format json (process)',
    msbLs,
    within(page.rows, msbLs, 3)
  )
  row(
    'page open → disk usage received (what the first rows waited for before)',
    page.usage,
    'msb image ls --format json (process)',
    msbLs
  )
}

const cpu = cpus()
console.log(
  `${fixture.references} references, ${fixture.manifests} manifests; ${cpu.length} CPUs (${cpu[0]?.model ?? '?'}), Node ${process.version}; ` +
    `load average ${loadBefore} before, ${load()} after; median ms of ${reps} runs (page: ${quick ? 2 : 4}); ratio = peer ÷ ours`
)
console.log('')
console.log('| measure | ours ms | peer | peer ms | ratio | note |')
console.log('|---|---:|---|---:|---:|---|')
for (const r of rows) console.log(`| ${r.join(' | ')} |`)
rmSync(sizeStore, { recursive: true, force: true })
