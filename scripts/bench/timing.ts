// Timing primitives. The benchmark machine is shared (other jobs run tests at the same time), so every figure is
// the median of several runs, and the minimum is kept beside it as the least-disturbed run.
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'

export interface Sample {
  /** Wall-clock milliseconds, one per run, in run order. */
  runs: number[]
  median: number
  min: number
  /**
   * Median CPU milliseconds (user + system, all threads of the process) of in-process runs. On a loaded
   * machine wall time includes waiting for a core; CPU time mostly does not.
   */
  cpuMedian?: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function sample(runs: number[], cpu?: number[]): Sample {
  return { runs, median: median(runs), min: Math.min(...runs), ...(cpu?.length ? { cpuMedian: median(cpu) } : {}) }
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1000
}

/** Runs `fn` `reps` times after `setup` (untimed) each time; returns the timed runs. */
export function timeSync<T>(reps: number, fn: (i: number) => T, setup?: (i: number) => void): Sample {
  const runs: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < reps; i++) {
    setup?.(i)
    const c = process.cpuUsage()
    const t = performance.now()
    fn(i)
    runs.push(performance.now() - t)
    cpu.push(cpuMs(c))
  }
  return sample(runs, cpu)
}

export async function timeAsync<T>(reps: number, fn: (i: number) => Promise<T>): Promise<Sample> {
  const runs: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < reps; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    await fn(i)
    runs.push(performance.now() - t)
    cpu.push(cpuMs(c))
  }
  return sample(runs, cpu)
}

export interface ProcessRun {
  ms: number
  stdout: string
  stderr: string
  status: number
}

/** One whole process, start to exit, as a user would run it. */
export function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ProcessRun {
  const t = performance.now()
  const r = spawnSync(command, args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: 10 * 60_000
  })
  const ms = performance.now() - t
  if (r.error) throw new Error(`${command} ${args.join(' ')}: ${r.error.message}`)
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 }
}

/** The 1-minute load average, printed with the table so readers can judge the noise. */
export function load(): string {
  return loadavg()[0].toFixed(2)
}
