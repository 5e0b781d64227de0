// The explorer beside a running msb: one loop `msb load`s archives of images that share layers, under
// changing tags, while another process removes and prunes (cleanup-loop.ts). Afterwards every image
// msb lists must be whole. Run with the explorer (`ours`) and with `msb image prune -y` (`msb`) to
// compare. Shared by concurrency.test.ts and scripts/soak.ts.
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildCache, markInUse } from '../../src/main/demo/build-cache'
import { DEFAULT_MSB, type MsbVersion, msbBinary, runMsb } from '../../src/main/demo/msb'
import { openCache } from '../../src/main/core/cache'
import { type LayerSpec, type OciImageSpec, writeOciArchive } from '../../src/main/demo/oci-archive'
import { tempDir } from './cache-dump'
import type { CleanupFigures, CleanupOrder } from './cleanup-loop'
import { REPO_ROOT } from './crash-runs'
import { type BrokenImage, checkImages, missingFiles } from './image-integrity'

const CHILD = fileURLToPath(new URL('./cleanup-loop.ts', import.meta.url))
const KiB = 1024
const layer = (seed: string, kib: number): LayerSpec => ({ seed, sizeBytes: kib * KiB, files: 2 })

/** Ten images over a shared base, two shared middle layers and one own layer each. */
export function churnImages(): OciImageSpec[] {
  const base = layer('churn-base', 32)
  const middles = [layer('churn-mid-a', 16), layer('churn-mid-b', 16)]
  return Array.from({ length: 10 }, (_, k) => ({
    layers: [base, middles[k % 2], layer(`churn-own-${k}`, 4 + (k % 3) * 4)],
    config: { cmd: [`churn-${k}`] }
  }))
}

export interface ConcurrencyFigures {
  mode: 'ours' | 'msb'
  msb: MsbVersion
  seconds: number
  loads: number
  loadFailures: string[]
  cleanup: CleanupFigures
  imagesChecked: number
  broken: BrokenImage[]
  /** Files some row needs (listed by a reference or not) that are missing. */
  missingFiles: string[]
}

/** Writes one archive per image into `dir` (done once, reused by every run). */
export function writeChurnArchives(dir: string): string[] {
  return churnImages().map((spec, k) => {
    const file = join(dir, `churn-${k}.tar`)
    writeOciArchive(file, [spec])
    return file
  })
}

export async function concurrencyRun(
  mode: 'ours' | 'msb',
  archives: string[],
  durationMs: number,
  msb: MsbVersion = DEFAULT_MSB,
  /** At least this many msb loads and cleanup operations, however long that takes (bounded by 4× durationMs). */
  atLeast: { loads: number; operations: number } = { loads: 0, operations: 0 }
): Promise<ConcurrencyFigures> {
  const dir = tempDir(`ice-churn-${mode}-`)
  const home = join(dir, 'home')
  try {
    // A pinned image on the shared base: whatever the loops do, it must stay whole.
    buildCache(home, [{ reference: 'localhost/churn/pinned:1', image: churnImages()[0] }], { msb })
    markInUse(home, 'localhost/churn/pinned:1', { name: 'churn-sandbox', status: 'Running' })
    const started = Date.now()
    const order: CleanupOrder = {
      home,
      mode,
      durationMs,
      minOperations: atLeast.operations,
      spare: ['localhost/churn/pinned:1']
    }
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(order)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    let loads = 0
    const loadFailures: string[] = []
    // Two loaders at once, until the cleanup loop is done (it stops by itself after durationMs, or once it
    // did its least number of operations) and they did their own least number of loads.
    let running = true
    void exited.then(() => (running = false))
    let i = 0
    const loader = async () => {
      while (
        running ||
        Date.now() - started < 1000 ||
        (loads < atLeast.loads && Date.now() - started < 4 * durationMs)
      ) {
        const n = i++
        const k = n % archives.length
        const tag = `localhost/churn/app-${k}:${Math.floor(n / archives.length) % 3}`
        const r = await msbAsync(msb, home, ['load', '-q', '-i', archives[k], '-t', tag])
        loads++
        if (r.status !== 0) loadFailures.push(`${tag}: ${r.stderr.trim()}`)
      }
    }
    await Promise.all([loader(), loader()])
    const code = await exited
    if (code !== 0) throw new Error(`cleanup loop failed (${code}): ${err}`)
    const cleanup = JSON.parse(out.trim().split('\n').pop()!) as CleanupFigures
    const seconds = (Date.now() - started) / 1000
    const report = checkImages(home)
    return {
      mode,
      msb,
      seconds,
      loads,
      loadFailures,
      cleanup,
      imagesChecked: report.references.length,
      broken: report.broken,
      missingFiles: missingFiles(home)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function msbAsync(msb: MsbVersion, home: string, args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(msbBinary(msb), args, {
      env: { ...process.env, MSB_HOME: home, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('exit', (code) => resolve({ status: code ?? -1, stderr }))
  })
}

export function describeConcurrency(f: ConcurrencyFigures): string {
  return (
    `${f.mode} beside msb ${f.msb}: ${f.seconds.toFixed(1)} s, ${f.loads} msb loads (${f.loadFailures.length} failed), ` +
    `${f.cleanup.iterations} cleanup iterations (${f.cleanup.prunes} prunes, ${f.cleanup.removes} removes, ` +
    `refusals ${JSON.stringify(f.cleanup.refusals)}, files put back ${f.cleanup.putBack}, errors ${f.cleanup.errors.length}), ` +
    `${f.imagesChecked} images checked, ${f.broken.length} broken, ${f.missingFiles.length} files rows need missing` +
    (f.loadFailures.length > 0 ? `; first load failure: ${f.loadFailures[0]}` : '') +
    (f.cleanup.refusalSamples.Busy ? `; busy: ${f.cleanup.refusalSamples.Busy}` : '')
  )
}

export interface UnnamedRoundFigures {
  rounds: number
  loadFailures: string[]
  /** Images the unnamed home lists that lost a file. */
  broken: BrokenImage[]
  putBack: number
}

/**
 * The race of issue 26, round by round: home B (the explorer's) holds a fresh image; home A, whose
 * paths.cache is B's cache and which B was not told about, starts `msb load` of the same archive; a
 * moment later B prunes it. msb in A finds the files in place and writes its record while B's prune
 * runs. Each round uses new layers, so no record of an earlier round protects them.
 */
export async function unnamedHomeRounds(
  rounds: number,
  msb: MsbVersion = DEFAULT_MSB,
  onRound?: (round: number, f: UnnamedRoundFigures) => void,
  /** Stop once this many of A's loads finished (one fails when the prune takes a file it is reading). */
  untilLoaded = Infinity
): Promise<UnnamedRoundFigures> {
  const dir = tempDir('ice-unnamed-')
  const homeB = join(dir, 'home-b')
  const homeA = join(dir, 'home-a')
  const figures: UnnamedRoundFigures = { rounds: 0, loadFailures: [], broken: [], putBack: 0 }
  try {
    mkdirSync(homeA)
    mkdirSync(homeB)
    writeFileSync(join(homeA, 'config.json'), JSON.stringify({ paths: { cache: join(homeB, 'cache') } }))
    const cache = openCache({ home: homeB })
    try {
      for (let round = 0; round < rounds && figures.rounds - figures.loadFailures.length < untilLoaded; round++) {
        const archive = join(dir, `round-${round}.tar`)
        writeOciArchive(archive, [
          { layers: [layer(`round-${round}-a`, 64), layer(`round-${round}-b`, 32)], config: { cmd: [`r${round}`] } }
        ])
        const tag = `localhost/unnamed/round:${round}`
        runMsb(homeB, ['load', '-q', '-i', archive, '-t', tag], { msb })
        // Another name for the same image: the two homes' image records are different files.
        const tagA = `localhost/unnamed/other-name:${round}`
        const load = msbAsync(msb, homeA, ['load', '-q', '-i', archive, '-t', tagA])
        // Somewhere inside A's load (which takes a few hundred milliseconds).
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.floor(Math.random() * 200))
        const result = cache.prune({ scope: { kind: 'unused' } })
        figures.putBack += result.differences.filter((d) => d.includes('put back')).length
        const r = await load
        if (r.status !== 0) figures.loadFailures.push(`${tagA}: ${r.stderr.trim()}`)
        else figures.broken.push(...checkImages(homeA, [tagA], join(homeB, 'cache')).broken)
        figures.rounds++
        onRound?.(round, figures)
      }
    } finally {
      cache.close()
    }
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
