// Stands in for a running msb reader (`msb create`, `pull`, `load`): a separate process holding real shared
// flock(2) locks on msb's lease files of some cache entries, as crates/image/lib/storage_lease.rs @a9ba0957
// opens them (`<realpath(dir)>/.msb-leases/<sha256(name)>.lock`, read-write, created, mode 0600, never
// truncated). Python's fcntl.flock is the same syscall msb makes, so the explorer meets a real other holder.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { leaseFileOf } from '../../src/main/core/locks/storage-lease'

const HOLDER = `
import fcntl, os, sys
held = []
mode = fcntl.LOCK_EX if sys.argv[1] == 'exclusive' else fcntl.LOCK_SH
for path in sys.argv[2:]:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, mode)
    held.append(fd)
print("held", flush=True)
sys.stdin.read()
`

export interface LeaseHolder {
  child: ChildProcess
  /** Ends the holder (its locks die with it) and waits for it to exit. */
  stop(): Promise<void>
}

/**
 * Starts a process holding leases on `entries` (absolute paths of cache entries), shared like msb's readers
 * or exclusive like its deleters; resolves once held.
 */
export async function holdSharedLeases(
  entries: string[],
  mode: 'shared' | 'exclusive' = 'shared'
): Promise<LeaseHolder> {
  const files = entries.map(leaseFileOf)
  const child = spawn('python3', ['-c', HOLDER, mode, ...files], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout?.setEncoding('utf8')
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      out += chunk
      if (out.includes('held')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`lease holder exited early (${code})`)))
  })
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    }
  }
}
