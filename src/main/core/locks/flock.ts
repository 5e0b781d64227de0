// Whole-file advisory locks that interoperate with msb's: flock(2) on Linux and macOS, LockFileEx over
// the whole range on Windows (msb's `storage_lease.rs` and its cache locks use exactly these).
//
// Why koffi: Node's `fs` has no flock. koffi is a maintained FFI (N-API, so one binary loads in Node and
// in Electron) whose npm package ships prebuilt binaries for every platform as optional dependencies:
// nothing is compiled at install. fs-ext and similar bindings need node-gyp and a compiler; a lock held
// by a child process (`flock(1)`) would not die with ours. The few calls below are the whole use.
//
// These locks are never taken on a database file: SQLite's own POSIX locks on msb.db belong to the
// process and one `close()` of any descriptor of it drops them all (issue 26). flock locks belong to
// the open file description, so closing this module's descriptor releases only this module's lock.
import { closeSync, constants, openSync } from 'node:fs'
import { createRequire } from 'node:module'
import type Koffi from 'koffi'

// Loaded with the first lock, not with the module: koffi's native binding costs ~45 ms, and every
// `ice` command reaches this module (usage counts msb's deletion journals) while few take a lock.
let koffiModule: typeof Koffi | null = null
const loadKoffi = (): typeof Koffi => (koffiModule ??= createRequire(import.meta.url)('koffi') as typeof Koffi)

export type LockMode = 'shared' | 'exclusive'

/** A held lock; `release` closes its descriptor, which is what drops a flock. Idempotent. */
export interface HeldLock {
  readonly path: string
  readonly mode: LockMode
  release(): void
}

interface Native {
  /** Answers true when the lock was taken, false when another holder has it (never waits). */
  tryLock(fd: number, mode: LockMode): boolean
}

const LOCK_SH = 1
const LOCK_EX = 2
const LOCK_NB = 4

let native: Native | undefined

function posixNative(): Native {
  const koffi = loadKoffi()
  const candidates =
    process.platform === 'darwin' ? ['libSystem.B.dylib'] : ['libc.so.6', 'libc.so', 'libc.musl-x86_64.so.1']
  let lib: ReturnType<typeof koffi.load> | undefined
  let lastError: unknown
  for (const name of candidates) {
    try {
      lib = koffi.load(name)
      break
    } catch (error) {
      lastError = error
    }
  }
  if (!lib) throw new Error(`cannot load the C library for flock(2): ${String(lastError)}`)
  const flock = lib.func('int flock(int fd, int operation)')
  // errno through the C library, read right after the failing call on the same thread.
  const errnoLocation =
    process.platform === 'darwin' ? lib.func('int *__error(void)') : lib.func('int *__errno_location(void)')
  const EWOULDBLOCK = process.platform === 'darwin' ? 35 : 11
  return {
    tryLock(fd, mode) {
      const result = flock(fd, (mode === 'shared' ? LOCK_SH : LOCK_EX) | LOCK_NB) as number
      if (result === 0) return true
      const errno = koffi.decode(errnoLocation(), 'int') as number
      if (errno === EWOULDBLOCK) return false
      throw Object.assign(new Error(`flock failed (errno ${errno})`), { errno })
    }
  }
}

function windowsNative(): Native {
  const koffi = loadKoffi()
  const kernel32 = koffi.load('kernel32.dll')
  const ucrt = koffi.load('ucrtbase.dll')
  const OVERLAPPED = koffi.struct('ICE_OVERLAPPED', {
    Internal: 'uintptr_t',
    InternalHigh: 'uintptr_t',
    Offset: 'uint32_t',
    OffsetHigh: 'uint32_t',
    hEvent: 'void *'
  })
  const LockFileEx = kernel32.func('__stdcall', 'LockFileEx', 'int', [
    'intptr_t',
    'uint32_t',
    'uint32_t',
    'uint32_t',
    'uint32_t',
    koffi.inout(koffi.pointer(OVERLAPPED))
  ])
  const GetLastError = kernel32.func('__stdcall', 'GetLastError', 'uint32_t', [])
  // libuv hands Node CRT descriptors; the CRT maps them to the HANDLE LockFileEx needs.
  const getOsfHandle = ucrt.func('intptr_t _get_osfhandle(int fd)')
  const LOCKFILE_FAIL_IMMEDIATELY = 1
  const LOCKFILE_EXCLUSIVE_LOCK = 2
  const ERROR_LOCK_VIOLATION = 33
  return {
    tryLock(fd, mode) {
      const handle = getOsfHandle(fd) as number
      const flags = LOCKFILE_FAIL_IMMEDIATELY | (mode === 'exclusive' ? LOCKFILE_EXCLUSIVE_LOCK : 0)
      const overlapped = { Internal: 0, InternalHigh: 0, Offset: 0, OffsetHigh: 0, hEvent: null }
      // The whole range, as msb's fs4-style locks take it.
      if (LockFileEx(handle, flags, 0, 0xffffffff, 0xffffffff, overlapped)) return true
      const code = GetLastError() as number
      if (code === ERROR_LOCK_VIOLATION) return false
      throw Object.assign(new Error(`LockFileEx failed (error ${code})`), { errno: code })
    }
  }
}

function getNative(): Native {
  native ??= process.platform === 'win32' ? windowsNative() : posixNative()
  return native
}

/** Flags for a lock file: read-write, created when missing, never truncated, never through a symlink. */
const OPEN_FLAGS = constants.O_RDWR | constants.O_CREAT | (process.platform === 'win32' ? 0 : constants.O_NOFOLLOW)

/**
 * Flags to make a missing lock file (mode 0600, as msb does): as OPEN_FLAGS, but failing on any existing entry
 * (a symlink too), so only a file the call created is ever opened and closed (storage-lease.ts, createLeaseFiles).
 */
export const CREATE_FLAGS = OPEN_FLAGS | constants.O_EXCL

/** The descriptors of the locks this module holds: lock files, never a database's (wal-files.ts skips them). */
const heldDescriptors = new Set<number>()
export function isHeldLockDescriptor(fd: number): boolean {
  return heldDescriptors.has(fd)
}

/**
 * Tries to take `mode` on the lock file at `path` without waiting (creating it, mode 0600, as msb does).
 * Answers the held lock, or null when another open file description holds a conflicting one.
 */
export function tryLockFile(path: string, mode: LockMode): HeldLock | null {
  const fd = openSync(path, OPEN_FLAGS, 0o600)
  let locked: boolean
  try {
    locked = getNative().tryLock(fd, mode)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  if (!locked) {
    closeSync(fd)
    return null
  }
  let open = true
  heldDescriptors.add(fd)
  return {
    path,
    mode,
    release() {
      if (!open) return
      open = false
      heldDescriptors.delete(fd)
      closeSync(fd)
    }
  }
}
