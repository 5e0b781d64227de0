// Everything measured for one fixture size: the core, the Node SDK and the msb CLI against the same cache, each
// destructive operation on its own identical copy. Probes run as child processes so each gets a fresh heap.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { msbBinary } from '../../src/main/demo/msb'
import type { ImagePruneReport } from '../../src/shared/contract'
import type { CoreTimes } from './core-probe'
import { copyHome, dropCopy, type Fixture } from './fixture-store'
import type { SdkTimes } from './sdk-probe'
import { type Sample, sample, timeProcess } from './timing'

export interface Reps {
  /** Runs of each quick read. */
  reads: number
  /** Runs of each whole process (msb CLI, sqlite3 CLI). */
  processes: number
  /** Copies pruned per tool. */
  prunes: number
  /** Images removed one at a time per tool. */
  removes: number
}

export type PruneReport = ImagePruneReport

export interface SizeResult {
  fixture: Fixture
  core: CoreTimes
  corePrune: Sample
  corePruneNoGrace: Sample
  coreRemove: Sample
  sdk: SdkTimes
  sdkList: Sample
  sdkInspect: Sample
  sdkPrune: Sample
  sdkRemove: Sample
  msbList: Sample
  msbInspect: Sample
  msbPrune: Sample
  msbRemove: Sample
  sqliteCli: Sample | null
  /** Equality checks, each with a short reason when it fails. */
  checks: { name: string; ok: boolean; detail: string }[]
}

const ROOT = resolve(import.meta.dirname, '..', '..')
const TSX = resolve(ROOT, 'node_modules', '.bin', 'tsx')

function probe<T>(script: string, args: string[], env: NodeJS.ProcessEnv = {}): T {
  const r = spawnSync(TSX, [resolve(import.meta.dirname, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024
  })
  if (r.status !== 0)
    throw new Error(`${script} ${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`)
  const line = r.stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(line) as T
}

function msb(home: string, args: string[]): { ms: number; stdout: string } {
  const r = timeProcess(msbBinary(), args, { MSB_HOME: home, NO_COLOR: '1' })
  if (r.status !== 0) throw new Error(`msb ${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(-500)}`)
  return r
}

function repeat(n: number, fn: () => number): Sample {
  return sample(Array.from({ length: n }, fn))
}

/** One sample from several single-run samples (one per copy). */
function merge(samples: Sample[]): Sample {
  const cpu = samples.map((s) => s.cpuMedian).filter((c): c is number => c !== undefined)
  return sample(
    samples.flatMap((s) => s.runs),
    cpu
  )
}

function sqliteCliAvailable(): boolean {
  return spawnSync('sqlite3', ['-version'], { encoding: 'utf8' }).status === 0
}

/** msb's prune JSON (snake case) in the contract's shape. */
function fromMsbReport(json: Record<string, number | null>): PruneReport {
  return {
    imageRefsRemoved: json.image_refs_removed as number,
    manifestsRemoved: json.manifests_removed as number,
    layersRemoved: json.layers_removed as number,
    fsmetaRemoved: json.fsmeta_removed as number,
    vmdkRemoved: json.vmdk_removed as number,
    bytesReclaimed: json.bytes_reclaimed ?? null
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Runs `fn` on a fresh copy of the fixture and drops the copy afterwards. */
function onCopy<T>(fixture: Fixture, label: string, fn: (home: string) => T): T {
  const home = copyHome(fixture, label)
  try {
    return fn(home)
  } finally {
    dropCopy(home)
  }
}

export function measureSize(fixture: Fixture, reps: Reps, log: (line: string) => void): SizeResult {
  const { home } = fixture
  const checks: SizeResult['checks'] = []
  // A reference in the middle of the list, and some to remove: unpinned images without an alias.
  const references = spawnSync(msbBinary(), ['image', 'ls', '-q'], {
    env: { ...process.env, MSB_HOME: home },
    encoding: 'utf8'
  })
    .stdout.trim()
    .split('\n')
  const middle = references[references.length >> 1]
  const removable = references.filter((r) => /app-\d*[02468]:v/.test(r)).slice(0, reps.removes)

  log(`  core reads`)
  const core = probe<CoreTimes>('core-probe.ts', ['reads', home, String(reps.reads), middle])
  log(`  sdk reads`)
  const sdk = probe<SdkTimes>('sdk-probe.ts', ['reads', String(reps.reads), middle], { MSB_HOME: home })
  checks.push({
    name: 'list = SDK Image.list (references, digests, order)',
    ok: sameJson(core.listed, sdk.listed),
    detail: `${core.listed?.length} vs ${sdk.listed?.length} rows`
  })

  log(`  msb CLI reads`)
  const msbList = repeat(reps.processes, () => msb(home, ['image', 'ls', '--format', 'json']).ms)
  const msbInspect = repeat(reps.processes, () => msb(home, ['image', 'inspect', middle, '--format', 'json']).ms)
  const msbLs = JSON.parse(msb(home, ['image', 'ls', '--format', 'json']).stdout) as {
    reference: string
    digest: string
  }[]
  checks.push({
    name: 'list = msb image ls --format json (references, digests, order)',
    ok: sameJson(
      core.listed,
      msbLs.map((r) => [r.reference, r.digest])
    ),
    detail: `${msbLs.length} rows`
  })
  const msbDetail = JSON.parse(msb(home, ['image', 'inspect', middle, '--format', 'json']).stdout) as {
    layers: { diff_id: string }[]
    config: { digest: string } | null
  }
  const coreDetail = core.detail as { layers: { diffId: string }[]; config: { digest: string } | null }
  checks.push({
    name: 'inspect = msb image inspect (config digest, layers)',
    ok:
      sameJson(
        coreDetail.layers.map((l) => l.diffId),
        msbDetail.layers.map((l) => l.diff_id)
      ) && coreDetail.config?.digest === msbDetail.config?.digest,
    detail: `${coreDetail.layers.length} layers`
  })

  let sqliteCli: Sample | null = null
  if (sqliteCliAvailable()) {
    const sql = `SELECT r.id, r.reference, m.id, m.digest, m.architecture, m.os, m.layer_count, m.total_size_bytes, r.created_at, r.updated_at
      FROM image_ref r LEFT JOIN manifest m ON r.manifest_id = m.id ORDER BY r.created_at DESC`
    sqliteCli = repeat(reps.processes, () => timeProcess('sqlite3', ['-readonly', `${home}/db/msb.db`, sql]).ms)
  }

  log(`  prune: core (as-is, grace 250 ms), core (grace 0), msb CLI, SDK — ${reps.prunes} copies each`)
  // Interleaved: each round prunes one copy with every tool, so a change in the machine's load (other jobs run at
  // the same time) hits all tools alike instead of one block of runs.
  const coreReports: unknown[] = []
  const msbReports: PruneReport[] = []
  const sdkReports: unknown[] = []
  const rounds = { core: [] as Sample[], core0: [] as Sample[], msb: [] as number[], sdk: [] as Sample[] }
  for (let i = 0; i < reps.prunes; i++) {
    rounds.core.push(
      onCopy(fixture, 'core-prune', (h) => {
        const r = probe<CoreTimes>('core-probe.ts', ['prune', h, '250'])
        coreReports.push(r.report)
        return r.prune!
      })
    )
    rounds.core0.push(
      onCopy(fixture, 'core-prune0', (h) => {
        const r = probe<CoreTimes>('core-probe.ts', ['prune', h, '0'])
        coreReports.push(r.report)
        return r.prune!
      })
    )
    rounds.msb.push(
      onCopy(fixture, 'msb-prune', (h) => {
        const r = msb(h, ['image', 'prune', '-y', '--format', 'json'])
        msbReports.push(fromMsbReport(JSON.parse(r.stdout) as Record<string, number | null>))
        return r.ms
      })
    )
    rounds.sdk.push(
      onCopy(fixture, 'sdk-prune', (h) => {
        const r = probe<SdkTimes>('sdk-probe.ts', ['prune'], { MSB_HOME: h })
        sdkReports.push(r.report)
        return r.prune!
      })
    )
  }
  const corePrune = merge(rounds.core)
  const corePruneNoGrace = merge(rounds.core0)
  const msbPrune = sample(rounds.msb)
  const sdkPrune = merge(rounds.sdk)
  const reference = msbReports[0]
  checks.push({
    name: 'prune report = msb image prune -y (every copy)',
    ok: coreReports.every((r) => sameJson(r, reference)),
    detail: `msb ${JSON.stringify(reference)}; core ${JSON.stringify(coreReports[0])}`
  })
  checks.push({
    name: 'SDK Image.prune report = msb image prune -y',
    ok: sdkReports.every((r) => sameJson(r, reference)),
    detail: ''
  })

  log(`  remove one image: core, msb CLI, SDK (${removable.length} images each, one copy per tool)`)
  const core2 = onCopy(fixture, 'core-rm', (h) => probe<CoreTimes>('core-probe.ts', ['remove', h, ...removable]))
  const msbRemove = onCopy(fixture, 'msb-rm', (h) => sample(removable.map((r) => msb(h, ['image', 'rm', r]).ms)))
  const sdk2 = onCopy(fixture, 'sdk-rm', (h) =>
    probe<SdkTimes>('sdk-probe.ts', ['remove', ...removable], { MSB_HOME: h })
  )

  return {
    fixture,
    core,
    corePrune,
    corePruneNoGrace,
    coreRemove: core2.remove!,
    sdk,
    sdkList: sdk.list!,
    sdkInspect: sdk.inspect!,
    sdkPrune,
    sdkRemove: sdk2.remove!,
    msbList,
    msbInspect,
    msbPrune,
    msbRemove,
    sqliteCli,
    checks
  }
}
