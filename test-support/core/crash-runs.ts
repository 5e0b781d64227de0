// Kills remove and prune at random points and checks that nothing still needed was lost. One run:
// copy a small cache (cp -a), hand a pre-started crash-child one operation, SIGKILL it after a random
// delay or let the core kill itself at a named point, then check the copy:
//   - every reference msb lists inspects fine with msb and with the explorer, and every layer, fsmeta
//     and vmdk file a remaining row needs exists (also for manifests no reference shows);
//   - the explorer's prune completes (finishing the interrupted removal) and leaves no file that no
//     row needs (lock files aside) and no journal;
//   - msb's prune completes on what is left, and every file a row still needs is there.
// Shared by crash-safety.test.ts (a dozen runs, npm test's smoke size) and scripts/soak.ts (hundreds).
import { type ChildProcess, spawn } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runMsb } from '../../src/main/demo/msb'
import { openCache } from '../../src/main/core/cache'
import { TRASH_DIR } from '../../src/main/core/writing/file-removal'
import { copyHome, lockFiles } from './cache-dump'
import type { CrashOperation, CrashOrder } from './crash-child'
import { checkImages, missingFiles, unreferencedFiles } from './image-integrity'
import { prng } from '../fixtures/prng'

export const CRASH_POINTS = ['before-commit', 'after-commit', 'mid-move', 'after-move', 'mid-unlink'] as const

/** Operations on smallScenario() that delete rows and files in different shapes. */
export const CRASH_OPERATIONS: CrashOperation[] = [
  { op: 'remove', references: ['localhost/solo:1'], force: false },
  { op: 'remove', references: ['localhost/web:1', 'localhost/web:stable', 'localhost/api:1'], force: false },
  { op: 'remove', references: ['busybox'], force: false },
  { op: 'remove', references: ['localhost/job:1'], force: true },
  { op: 'prune', scope: { kind: 'unused' } },
  { op: 'prune', scope: { kind: 'dangling' } },
  { op: 'prune', scope: { kind: 'images', references: ['localhost/api:1', 'localhost/worker:1', 'localhost/db:1'] } }
]

export interface CrashFailure {
  run: number
  order: string
  problems: string[]
}

export interface CrashFigures {
  runs: number
  /** Killed by the parent's timer or at a named point. */
  killed: number
  /** Finished before the kill came. */
  finished: number
  byPoint: Record<string, number>
  /** Files the following prune reclaimed that the killed run had left. */
  leftoversReclaimed: number
  failures: CrashFailure[]
  ms: number
}

export interface CrashRunOptions {
  base: string
  runs: number
  seed?: number
  /** Grace period of the killed process (short, so random kills land in every phase). */
  graceMs?: number
  maxDelayMs?: number
  onRun?: (run: number, figures: CrashFigures) => void
  /**
   * The base is a msb 0.7.8 home (msb078-home.ts): no msb here can open it, so the checks are the rows' own
   * (every file a row needs is there) and no lock file may be lost, by the killed run or the prune after it.
   */
  msb078?: boolean
}

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url))
/** The repository root, where `--import tsx` resolves. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface WarmChild {
  child: ChildProcess
  ready: Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>
}

/** Starts a crash-child; it is `ready` once the core is loaded. */
export function startChild(): WarmChild {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  let onReady: () => void
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    if (output.includes('ready\n')) onReady()
  })
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => {
      onReady()
      resolve({ code, signal, output })
    })
  )
  return { child, ready, exited }
}

export async function crashRuns(options: CrashRunOptions): Promise<CrashFigures> {
  const started = Date.now()
  const rnd = prng(options.seed ?? 1)
  const figures: CrashFigures = {
    runs: 0,
    killed: 0,
    finished: 0,
    byPoint: {},
    leftoversReclaimed: 0,
    failures: [],
    ms: 0
  }
  const locksOfBase = options.msb078 ? lockFiles(options.base) : []
  let next = startChild()
  let named = 0
  try {
    for (let run = 0; run < options.runs; run++) {
      const warm = next
      const operation = CRASH_OPERATIONS[Math.floor(rnd() * CRASH_OPERATIONS.length)]
      // Two runs in three die at a named point, the rest after a random delay. The named points come in
      // turn, so a few runs (npm test's smoke size) already die in every phase.
      const crashAt = run % 3 === 2 ? undefined : CRASH_POINTS[named++ % CRASH_POINTS.length]
      const delayMs = Math.floor(rnd() * (options.maxDelayMs ?? 150))
      const home = copyHome(options.base, 'ice-crash-')
      const order: CrashOrder = { home, operation, graceMs: options.graceMs ?? 60, crashAt }
      const label = `${JSON.stringify(operation)} ${crashAt ? `crash at ${crashAt}` : `kill after ${delayMs} ms`}`
      await warm.ready
      warm.child.stdin!.end(`${JSON.stringify(order)}\n`)
      const timer = crashAt ? null : setTimeout(() => warm.child.kill('SIGKILL'), delayMs)
      next = startChild()
      const exit = await warm.exited
      if (timer) clearTimeout(timer)
      const problems: string[] = []
      if (exit.signal === 'SIGKILL') {
        figures.killed++
        const where = crashAt ?? 'timer'
        figures.byPoint[where] = (figures.byPoint[where] ?? 0) + 1
      } else if (exit.code === 0 && exit.output.includes('done')) {
        figures.finished++
      } else {
        problems.push(`the operation failed by itself: ${exit.output.trim()}`)
      }
      problems.push(...checkAfterCrash(home, figures, options.msb078 ? locksOfBase : undefined))
      if (problems.length > 0) figures.failures.push({ run, order: `${label} (home kept: ${home})`, problems })
      figures.runs++
      options.onRun?.(run, figures)
      if (problems.length === 0) rmSync(dirname(home), { recursive: true, force: true })
    }
  } finally {
    next.child.kill('SIGKILL')
    await next.exited
  }
  figures.ms = Date.now() - started
  return figures
}

/** The checks of one run; returns what is wrong. */
export function checkAfterCrash(home: string, figures?: CrashFigures, locksBefore?: string[]): string[] {
  const problems: string[] = []
  const describe = (what: string, error: unknown) => problems.push(`${what}: ${(error as Error).message}`)
  const lostLocks = (when: string) => {
    if (!locksBefore) return
    const now = new Set(lockFiles(home))
    const lost = locksBefore.filter((p) => !now.has(p))
    if (lost.length > 0) problems.push(`${when}, lock files are gone: ${lost.join(', ')}`)
  }
  if (!locksBefore) {
    try {
      for (const b of checkImages(home).broken)
        problems.push(`after the kill, ${b.reference}: ${b.problems.join('; ')}`)
    } catch (error) {
      describe('msb image ls/inspect after the kill', error)
    }
  }
  lostLocks('after the kill')
  const missing = missingFiles(home)
  if (missing.length > 0) problems.push(`after the kill, rows point at missing files: ${missing.join(', ')}`)
  const cache = openCache({ home, graceMs: 0 })
  try {
    for (const image of cache.list()) {
      try {
        cache.inspect({ reference: image.reference })
      } catch (error) {
        describe(`explorer inspect ${image.reference}`, error)
      }
    }
    const leftovers = unreferencedFiles(home).length
    cache.prune({ scope: { kind: 'unused' } })
    if (figures) figures.leftoversReclaimed += leftovers
  } catch (error) {
    describe("the explorer's prune after the kill", error)
  } finally {
    cache.close()
  }
  const unneeded = unreferencedFiles(home, { untaggedMetadata: !!locksBefore })
  if (unneeded.length > 0) problems.push(`files no row needs after our prune: ${unneeded.join(', ')}`)
  const trash = join(home, 'cache', 'tmp', TRASH_DIR)
  const journals = safeReaddir(trash)
  if (journals.length > 0) problems.push(`journals left after our prune: ${journals.join(', ')}`)
  lostLocks('after our prune')
  if (locksBefore) return problems
  const msb = runMsb(home, ['image', 'prune', '-y'], { allowFail: true })
  if (msb.status !== 0) problems.push(`msb image prune failed: ${msb.stderr.trim()}`)
  const missingAfter = missingFiles(home)
  if (missingAfter.length > 0)
    problems.push(`after both prunes, rows point at missing files: ${missingAfter.join(', ')}`)
  return problems
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path)
  } catch {
    return []
  }
}
