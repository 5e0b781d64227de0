// msb commands at work on a cache, seen as processes: the sign that also covers a home the explorer was
// not told about.
//
// The other signs (concurrent-msb.ts) are the locks on the databases of the homes the explorer knows and
// the files being staged in cache/tmp. An msb whose home shares this cache through its config.json
// (`paths.cache`) without the explorer being told holds a database the explorer cannot name, and once its
// layers are staged nothing in the cache shows it at work until it writes its image record. On a loaded
// machine the moment between its finding a file and writing that record outlasts any fixed settling time
// (seen in concurrency.test.ts's race of such a home, at a load of 11 on 2 cores). So the processes are
// read too: a process of the msb binary whose home, resolved as msb resolves it from that process's own
// environment (home.ts), keeps its content in this cache. A removal waits for the fetching ones to end
// (bounded: a `pull` of a large image may run for minutes) before it moves its files, so an msb reading a
// file is not left without it and has recorded its image when the claims are asked; and once more after
// the move, for any that started meanwhile.
//
// Linux only (/proc); elsewhere the lock sign is unreadable and every removal waits its grace period.
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import { locateCache } from '../homes/home'

/** The name the kernel gives a process of the msb binary (`/proc/<pid>/comm`). */
const MSB_COMM = 'msb'
/** msb commands that find files in the cache and then record them: `pull`, `load`, `run`, `create`, `image pull`. */
const FETCHING = new Set(['pull', 'load', 'run', 'create', 'image'])
/**
 * The longest a removal waits for such commands to end, in all (each process once): a `load` or a `pull`
 * of a cached image takes well under a second, several seconds on a loaded machine (the race of
 * concurrency.test.ts still lost a file with 3 s at a load of 15 on 2 cores).
 */
export const MSB_COMMAND_WAIT_MS = 10_000
/** How often the process table is read at most (a prune asks once per batch of 48 leases; a scan is ~2 ms). */
const SCAN_EVERY_MS = 100

export interface ProcessTable {
  /** The process ids now alive (not zombies: an exited child its parent has not reaped is gone). */
  pids(): number[]
  comm(pid: number): string | null
  /** The command line, the program's name included. */
  commandLine(pid: number): string[] | null
  /** Whether it still runs (a zombie, an exited msb its parent has not yet reaped, does not). */
  alive(pid: number): boolean
  /** The process's environment and working directory, or null once it is gone or unreadable. */
  environment(pid: number): { env: NodeJS.ProcessEnv; cwd: string } | null
}

/**
 * The msb commands at work on one cache during one removal. `sign` says whether any msb process works on
 * the cache; `waitForFetches` waits until the fetching commands among them have ended, MSB_COMMAND_WAIT_MS
 * at most in the whole removal: a prune goes on while msb loads new images (as msb 0.7.3+'s own prune
 * does, batch after batch), and waiting for each batch's loads in flight would let a steady stream of
 * loads keep it going for ever. Once the wait is spent, the grace period and the claims asked again
 * before each unlink remain, as for every other sign.
 */
export class MsbCommands {
  private scannedAt = -Infinity
  private last: MsbProcess[] = []
  private readonly waited = new Set<number>()
  private waitedMs = 0

  constructor(
    private readonly cacheDir: string,
    private readonly table: ProcessTable = procTable,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** Why an msb may be at work on this cache, or null. */
  sign(): string | null {
    const found = this.scan()
    return found.length > 0 ? `msb (${describe(found[0])}) is working on this cache` : null
  }

  /**
   * Waits until the fetching commands at work now have ended, while the removal's wait lasts; true if there
   * was one. Only those: an msb that starts once the files moved finds them gone, so it fetches or builds
   * them anew. A process is waited for once.
   */
  waitForFetches(sleep: (ms: number) => void, boundMs = MSB_COMMAND_WAIT_MS): boolean {
    let pending = this.scan()
      .filter((p) => p.fetching && !this.waited.has(p.pid))
      .map((p) => p.pid)
    if (pending.length === 0) return false
    const started = this.now() - this.waitedMs
    for (const pid of pending) this.waited.add(pid)
    while (pending.length > 0 && this.now() - started < boundMs) {
      sleep(10)
      pending = pending.filter((pid) => this.table.alive(pid))
    }
    this.waitedMs = this.now() - started
    return true
  }

  /**
   * At most one read of the process table every SCAN_EVERY_MS: an msb that started since the last one and
   * found a file of this batch records it within a few milliseconds, which the settling time covers.
   */
  private scan(): MsbProcess[] {
    if (this.now() - this.scannedAt >= SCAN_EVERY_MS) {
      this.last = msbProcessesOn(this.cacheDir, this.table)
      this.scannedAt = this.now()
    }
    return this.last
  }
}

function describe(p: MsbProcess): string {
  return p.args.length > 0 ? `msb ${p.args.slice(0, 2).join(' ')}` : 'msb'
}

export interface MsbProcess {
  pid: number
  args: string[]
  /** A command that finds files and then records them (FETCHING). */
  fetching: boolean
}

/** The msb processes (not this one) whose home keeps its content in `cacheDir`. */
export function msbProcessesOn(cacheDir: string, table: ProcessTable = procTable, self = process.pid): MsbProcess[] {
  const cache = realOrSelf(cacheDir)
  const found: MsbProcess[] = []
  for (const pid of table.pids()) {
    if (pid === self || table.comm(pid) !== MSB_COMM) continue
    const seen = table.environment(pid)
    if (!seen) continue
    const env = { ...seen.env }
    // msb resolves a relative MSB_HOME or MSB_CONFIG_PATH against its own working directory.
    for (const key of ['MSB_HOME', 'MSB_CONFIG_PATH'] as const) {
      const value = env[key]
      if (value && !isAbsolute(value)) env[key] = join(seen.cwd, value)
    }
    if (realOrSelf(locateCache({ env }).cacheDir) !== cache) continue
    // After msb's own name: argv[0] for the binary; a stand-in script's path comes after its interpreter's.
    const line = table.commandLine(pid) ?? []
    const own = line.findIndex((a) => basename(a) === MSB_COMM)
    const args = line.slice(own + 1 || 1)
    const command = args.find((a) => !a.startsWith('-'))
    found.push({ pid, args, fetching: command !== undefined && FETCHING.has(command) })
  }
  return found
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

/** /proc as a ProcessTable. Any process may end between two reads: each read of a gone one is null. */
export const procTable: ProcessTable = {
  pids() {
    let names: string[]
    try {
      names = readdirSync('/proc')
    } catch {
      return []
    }
    return names.filter((n) => /^\d+$/.test(n)).map(Number)
  },
  comm(pid) {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
    } catch {
      return null
    }
  },
  commandLine(pid) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1)
    } catch {
      return null
    }
  },
  alive(pid) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
    } catch {
      return false
    }
  },
  environment(pid) {
    try {
      // A zombie has done all it will do.
      if (!procTable.alive(pid)) return null
      const env: NodeJS.ProcessEnv = {}
      for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
        const at = entry.indexOf('=')
        if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1)
      }
      return { env, cwd: readlinkSync(`/proc/${pid}/cwd`) }
    } catch {
      return null
    }
  }
}
