// Benchmark caches, built once by the real msb and kept in `.bench-cache/` (gitignored) between runs. A cache is
// keyed by the spec version, the msb version and the image count; a directory without its `built.json` stamp is a
// build that did not finish and is rebuilt. Destructive benchmarks (prune, remove) run on copies made with `cp -a`,
// so the kept cache is never changed. ICE_BENCH_COPIES names another folder for the copies: a file system other
// than the one the cache was built on (BENCHMARKS.md: an ext4 without a journal makes every new file look past
// the inodes freed in the last minute, which the copies deleted between runs fill).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { addSnapshotPin, buildCache, markInUse } from '../../src/main/demo/build-cache'
import { runMsb } from '../../src/main/demo/msb'
import { benchSpec, SPEC_VERSION } from './bench-spec'

export const BENCH_DIR = resolve(import.meta.dirname, '..', '..', '.bench-cache')

export interface Fixture {
  imageCount: number
  home: string
  /** Wall time of the build when it was made (ms), and of its `msb load` alone. */
  buildMs: number
  loadMs: number
  /** True when this run reused a cache built earlier. */
  reused: boolean
  /** Counts read back from the database. */
  references: number
  manifests: number
  layers: number
  pinnedBySandbox: number
  pinnedBySnapshot: number
}

let msbVersionMemo: string | null = null
export function msbVersion(): string {
  msbVersionMemo ??= runMsb(BENCH_DIR, ['--version'])
    .stdout.trim()
    .replace(/^msb\s+/, '')
  return msbVersionMemo
}

export function ensureFixture(imageCount: number): Fixture {
  const dir = join(BENCH_DIR, `v${SPEC_VERSION}-msb${msbVersion()}-n${imageCount}`)
  const stampPath = join(dir, 'built.json')
  if (existsSync(stampPath)) {
    return {
      ...(JSON.parse(readFileSync(stampPath, 'utf8')) as Omit<Fixture, 'home' | 'reused'>),
      home: join(dir, 'home'),
      reused: true
    }
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'work'), { recursive: true })
  const home = join(dir, 'home')
  const spec = benchSpec(imageCount)
  const t = performance.now()
  const built = buildCache(home, spec.entries, { workDir: join(dir, 'work') })
  for (const [i, reference] of spec.inUse.entries())
    markInUse(home, reference, { name: `bench-sbx-${i}`, status: 'Running' })
  for (const [i, reference] of spec.snapshots.entries()) addSnapshotPin(home, reference, `bench-snap-${i}`)
  const buildMs = performance.now() - t
  rmSync(join(dir, 'work'), { recursive: true, force: true })
  const counts = JSON.parse(
    runSqlite(
      home,
      `SELECT json_object('references', (SELECT COUNT(*) FROM image_ref), 'manifests', (SELECT COUNT(*) FROM manifest),
      'layers', (SELECT COUNT(*) FROM layer), 'pinnedBySandbox', (SELECT COUNT(*) FROM sandbox_rootfs),
      'pinnedBySnapshot', (SELECT COUNT(*) FROM snapshot_index))`
    )
  ) as Pick<Fixture, 'references' | 'manifests' | 'layers' | 'pinnedBySandbox' | 'pinnedBySnapshot'>
  const stamp = { imageCount, buildMs, loadMs: built.loadMs, ...counts }
  writeFileSync(stampPath, JSON.stringify(stamp, null, 2))
  return { ...stamp, home, reused: false }
}

/** Reads with better-sqlite3 (no sqlite3 CLI needed to build). */
function runSqlite(home: string, sql: string): string {
  const db = new Database(join(home, 'db', 'msb.db'), { readonly: true })
  try {
    return db.prepare(sql).pluck().get() as string
  } finally {
    db.close()
  }
}

let copySeq = 0
/** A byte-identical copy of a fixture home for a destructive benchmark; remove it with `dropCopy`. */
export function copyHome(fixture: Fixture, label: string): string {
  const copies = process.env.ICE_BENCH_COPIES ? resolve(process.env.ICE_BENCH_COPIES) : join(BENCH_DIR, 'copies')
  const dest = join(copies, `${fixture.imageCount}-${label}-${process.pid}-${copySeq++}`)
  mkdirSync(join(dest, '..'), { recursive: true })
  const r = spawnSync('cp', ['-a', fixture.home, dest], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`cp -a ${fixture.home} ${dest}: ${r.stderr}`)
  // Write the copy out now, so its writeback does not land inside the timed operation that follows.
  spawnSync('sync', ['-f', dest])
  return dest
}

export function dropCopy(home: string): void {
  rmSync(home, { recursive: true, force: true })
}
