// The explorer beside a running msb: one loop `msb load`s archives of images that share layers, under
// changing tags, while another process removes and prunes (cleanup-loop.ts). Afterwards every image
// msb lists must be whole. Run with the explorer (`ours`) and with `msb image prune -y` (`msb`) to
// compare. Shared by concurrency.test.ts and scripts/soak.ts.
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildCache, markInUse } from '../../src/main/demo/build-cache'
import { DEFAULT_MSB, type MsbVersion, msbBinary } from '../../src/main/demo/msb'
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
  /** With `unnamedHome`: the same, for the home sharing the cache that the explorer was not told about. */
  unnamed?: { imagesChecked: number; broken: BrokenImage[]; missingFiles: string[] }
}

export interface ConcurrencyOptions {
  /**
   * A second home whose config.json points `paths.cache` at the cleaned home's cache, unknown to the
   * explorer: every other load goes there, so the cleaned home's prunes race its records.
   */
  unnamedHome?: boolean
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
  options: ConcurrencyOptions = {}
): Promise<ConcurrencyFigures> {
  const dir = tempDir(`ice-churn-${mode}-`)
  const home = join(dir, 'home')
  const other = join(dir, 'unnamed-home')
  try {
    if (options.unnamedHome) {
      mkdirSync(other)
      writeFileSync(join(other, 'config.json'), JSON.stringify({ paths: { cache: join(home, 'cache') } }))
    }
    // A pinned image on the shared base: whatever the loops do, it must stay whole.
    buildCache(home, [{ reference: 'localhost/churn/pinned:1', image: churnImages()[0] }], { msb })
    markInUse(home, 'localhost/churn/pinned:1', { name: 'churn-sandbox', status: 'Running' })
    const started = Date.now()
    const order: CleanupOrder = { home, mode, durationMs, spare: ['localhost/churn/pinned:1'] }
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
    // Two loaders at once, until the cleanup loop is done (it stops by itself after durationMs).
    let running = true
    void exited.then(() => (running = false))
    let i = 0
    // With an unnamed home, one loader keeps filling the cleaned home while the other loads the same
    // images into the unnamed one: its msb finds their files in place, while prunes take them.
    const loader = async (target: string) => {
      while (running || Date.now() - started < 1000) {
        const n = i++
        const k = n % archives.length
        const tag = `localhost/churn/app-${k}:${Math.floor(n / archives.length) % 3}`
        const r = await msbAsync(msb, target, ['load', '-q', '-i', archives[k], '-t', tag])
        loads++
        if (r.status !== 0) loadFailures.push(`${tag}: ${r.stderr.trim()}`)
      }
    }
    await Promise.all([loader(home), loader(options.unnamedHome ? other : home)])
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
      missingFiles: missingFiles(home),
      ...(options.unnamedHome ? { unnamed: unnamedIntegrity(other, join(home, 'cache')) } : {})
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function unnamedIntegrity(home: string, cache: string): NonNullable<ConcurrencyFigures['unnamed']> {
  const report = checkImages(home, undefined, cache)
  return { imagesChecked: report.references.length, broken: report.broken, missingFiles: missingFiles(home, cache) }
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
    (f.unnamed
      ? `; unnamed home sharing the cache: ${f.unnamed.imagesChecked} images checked, ${f.unnamed.broken.length} broken, ${f.unnamed.missingFiles.length} files rows need missing`
      : '') +
    (f.loadFailures.length > 0 ? `; first load failure: ${f.loadFailures[0]}` : '') +
    (f.cleanup.refusalSamples.Busy ? `; busy: ${f.cleanup.refusalSamples.Busy}` : '')
  )
}
