// A separate process holding a real flock(2), as a running msb does on its lock and lease files.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export interface HeldByOther {
  stop: () => Promise<void>
}

/** Creates the lock file (and its folder, as msb's lease `open` does) and holds it until `stop`. */
export function holdFlock(file: string, mode: 'sh' | 'ex'): Promise<HeldByOther> {
  mkdirSync(dirname(file), { recursive: true })
  const script = `import fcntl,os,sys
fd=os.open(sys.argv[1], os.O_RDWR|os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_SH if sys.argv[2]=='sh' else fcntl.LOCK_EX)
print('held', flush=True)
sys.stdin.read()`
  const child = spawn('python3', ['-c', script, file, mode], { stdio: ['pipe', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before taking ${file}`)))
    child.stdout.once('data', () =>
      resolve({
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done())
            child.kill('SIGKILL')
          })
      })
    )
  })
}
