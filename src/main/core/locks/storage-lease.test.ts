import { spawn } from 'node:child_process'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { holdFlock } from '../../../../test-support/core/flock-holder'
import { createLeaseFiles, leaseFileOf, tryExclusiveLease, trySharedLease } from './storage-lease'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('storage leases (msb 0.7.7 storage_lease.rs)', () => {
  it('names the lease after the sha256 of the entry name, in .msb-leases beside it', () => {
    dir = mkdtempSync(join(tmpdir(), 'lease-'))
    const entry = join(dir, 'abc.erofs')
    // sha256("abc.erofs"), computed independently with sha256sum.
    expect(leaseFileOf(entry)).toBe(
      join(dir, '.msb-leases', 'ba184ee725b0898c7a395713ab8e86a8c6bef396d65df43c18ebddb0bbcc3e47.lock')
    )
  })

  it('a shared lease held by another process makes the deleter answer busy; its exit frees it; the lock file stays', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lease-'))
    const entry = join(dir, 'layer.erofs')
    writeFileSync(entry, 'x')
    const lease = leaseFileOf(entry)
    tryExclusiveLease(entry)!.release() // creates the folder and the lock file, as msb's open() does
    const holder = await holdFlock(lease, 'sh')
    expect(tryExclusiveLease(entry)).toBeNull()
    const reader = trySharedLease(entry)
    expect(reader).not.toBeNull()
    reader!.release()
    await holder.stop()
    const mine = tryExclusiveLease(entry)
    expect(mine).not.toBeNull()
    // While we hold it exclusive, another process's exclusive try fails (interoperability both ways).
    const other = spawn('python3', [
      '-c',
      `import fcntl,os,sys
fd=os.open(sys.argv[1], os.O_RDWR)
try:
  fcntl.flock(fd, fcntl.LOCK_SH|fcntl.LOCK_NB); print('got')
except BlockingIOError: print('busy')`,
      lease
    ])
    const answer = await new Promise<string>((resolve) => {
      let out = ''
      other.stdout.on('data', (d: Buffer) => (out += d.toString()))
      other.on('exit', () => resolve(out.trim()))
    })
    expect(answer).toBe('busy')
    mine!.release()
    expect(existsSync(lease)).toBe(true)
    expect(readdirSync(join(dir, '.msb-leases'))).toHaveLength(1)
  })

  it('with the folders of a removal remembered: the same lease file, and a lease folder removed meanwhile is made again', () => {
    dir = mkdtempSync(join(tmpdir(), 'lease-'))
    const folders = new Map<string, string>()
    const first = tryExclusiveLease(join(dir, 'a.erofs'), folders)!
    expect(first.path).toBe(leaseFileOf(join(dir, 'a.erofs')))
    first.release()
    rmSync(join(dir, '.msb-leases'), { recursive: true })
    const second = tryExclusiveLease(join(dir, 'b.erofs'), folders)!
    expect(second.path).toBe(leaseFileOf(join(dir, 'b.erofs')))
    expect(existsSync(second.path)).toBe(true)
    second.release()
  })

  it('lease files made ahead: the missing ones made empty, an existing entry not opened, not followed, not changed', () => {
    dir = mkdtempSync(join(tmpdir(), 'lease-'))
    const [a, b, c] = ['a.erofs', 'b.erofs', 'c.erofs'].map((name) => join(dir, name))
    mkdirSync(join(dir, '.msb-leases'))
    // An existing lease file keeps its bytes; a symlink where a lease file goes stays a symlink to an untouched file.
    writeFileSync(leaseFileOf(b), 'kept')
    writeFileSync(join(dir, 'target'), 'not a lease')
    symlinkSync(join(dir, 'target'), leaseFileOf(c))
    createLeaseFiles([a, b, c], new Map()).wait()
    expect(lstatSync(leaseFileOf(a)).size).toBe(0)
    expect(lstatSync(leaseFileOf(a)).mode & 0o777).toBe(0o600)
    expect(readFileSync(leaseFileOf(b), 'utf8')).toBe('kept')
    expect(readlinkSync(leaseFileOf(c))).toBe(join(dir, 'target'))
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('not a lease')
    // The lease made ahead is the one taken later.
    const lease = tryExclusiveLease(a, new Map())!
    expect(lease.path).toBe(leaseFileOf(a))
    lease.release()
  })
})
