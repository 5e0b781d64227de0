// msb's deletion journals in their exact on-disk format, for tests (the homes msb 0.7.3+ leaves, on which
// they live, are built by msb078-home.ts). Journals follow
// sdk/rust/lib/image/cleanup_journal.rs @05a0c70d: `.image-deletions/{.prepare-*,delete-<32 hex>}/`
// with `active.lock`, hard links `0`, `1`, … and a compact `files.json` of cache-relative paths.
// msb's processes are stood in for by python3 holding real flock(2) locks.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, linkSync, mkdirSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface JournalSpec {
  /** Cache-relative paths (`layers/x.erofs`…), linked in this order. */
  files: string[]
  /** A `.prepare-*` folder (died before its rename) instead of `delete-*`. */
  preparing?: boolean
  /** Write `files.json` (default true). */
  record?: boolean
  /** Create `active.lock` (default true). */
  activeLock?: boolean
}

/** Writes one journal as msb's `Journal::prepare` leaves it; answers its folder. */
export function writeMsbJournal(cacheDir: string, spec: JournalSpec): string {
  const folder = join(cacheDir, '.image-deletions')
  mkdirSync(folder, { recursive: true })
  closeSync(openSync(join(folder, 'coordination.lock'), 'a', 0o600))
  const name = spec.preparing
    ? `.prepare-${randomBytes(3).toString('hex')}`
    : `delete-${randomBytes(16).toString('hex')}`
  const dir = join(folder, name)
  mkdirSync(dir)
  if (spec.activeLock !== false) closeSync(openSync(join(dir, 'active.lock'), 'a', 0o600))
  spec.files.forEach((relative, index) => linkSync(join(cacheDir, relative), join(dir, String(index))))
  if (spec.record !== false) writeFileSync(join(dir, 'files.json'), JSON.stringify(spec.files))
  return dir
}

export interface FlockHolder {
  readonly pid: number
  /** Ends the holder and waits until its lock is gone. */
  release(): Promise<void>
}

/** A separate python3 process holding `flock(path, mode)` until released (an msb process, for the tests). */
export async function holdFlock(paths: string[], mode: 'shared' | 'exclusive'): Promise<FlockHolder> {
  const script = [
    'import fcntl, os, sys',
    '[os.makedirs(os.path.dirname(p), exist_ok=True) for p in sys.argv[1:]]',
    `fds = [os.open(p, os.O_RDWR | os.O_CREAT, 0o600) for p in sys.argv[1:]]`,
    `[fcntl.flock(fd, fcntl.${mode === 'shared' ? 'LOCK_SH' : 'LOCK_EX'}) for fd in fds]`,
    'print("held", flush=True)',
    'sys.stdin.read()'
  ].join('\n')
  const child: ChildProcess = spawn('python3', ['-c', script, ...paths], { stdio: ['pipe', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`flock holder exited with ${code}`)))
    child.stdout?.once('data', () => resolve())
  })
  return {
    pid: child.pid ?? -1,
    release: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit')
        child.once('exit', () => resolve())
        child.stdin?.end()
      })
  }
}
