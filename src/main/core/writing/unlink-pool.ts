// Unlinks that overlap, each still checked right before its own unlink(2). Under load a removal spent most of its
// time waiting in unlink, one file at a time (the disk's latency, not CPU); a few unlinks in flight at once hide
// most of it.
//
// The rule the one-by-one loop kept (file-removal.ts): no file is unlinked when a claim on it may have been
// written since its claims were last checked. Here the main thread takes a stamp of every claim source (the
// records' folder, each home's database and its -wal: a commit writes one of them, a record is renamed into the
// folder), then checks every file of a round against the claims, then hands the round to helper threads. Each
// helper takes the same stamps again right before each unlink and unlinks only while they are unchanged: then no
// record was written and no database committed since the check. Once a stamp moved, the helper unlinks nothing
// more of the round; those files go back to the main thread, which checks them again. A stamp whose change is
// younger than two ticks of the kernel's coarse clock could hide a second change behind it: such a round is not
// started (one file goes the one-by-one way instead).
//
// The core is synchronous: the helpers are worker threads that unlink synchronously, and this thread waits on
// shared memory. They are started on first use, kept for the next removal, and never keep the process alive.
import { statSync } from 'node:fs'
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { RACY_NS } from '../files/folder-stamp'

/** Unlinks in flight at once: enough to overlap the disk's latency. */
export const THREADS = 8
/** Fewer files than this are unlinked one by one: starting the helpers would cost more than it saves. */
export const POOL_MIN = 64

/** A file's answer: 1 unlinked, 2 not tried (a claim source changed since the check), else failed. */
export const UNLINKED = 1
export const STALE = 2
const FAILED = 3

/** A claim source's identity, size and last change; '-' when it does not exist. Same text in the helpers. */
function stamp(path: string): { text: string; changedNs: bigint } {
  try {
    const s = statSync(path, { bigint: true })
    return {
      text: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`,
      changedNs: s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs
    }
  } catch {
    return { text: '-', changedNs: 0n }
  }
}

/** The stamps of `sources`, or null while one changed so recently that another change could share its stamp. */
export function stampsOf(sources: readonly string[]): string[] | null {
  const nowNs = BigInt(Date.now()) * 1_000_000n
  const out: string[] = []
  for (const source of sources) {
    const s = stamp(source)
    if (nowNs - s.changedNs < RACY_NS) return null
    out.push(s.text)
  }
  return out
}

const HELPER = `
const { parentPort } = require('node:worker_threads')
const { lstatSync, statSync, unlinkSync } = require('node:fs')
const stamp = (p) => {
  try {
    const s = statSync(p, { bigint: true })
    return s.dev + ':' + s.ino + ':' + s.size + ':' + s.mtimeNs + ':' + s.ctimeNs
  } catch {
    return '-'
  }
}
parentPort.on('message', ({ status, sources, stamps, paths, errors, ifPresent }) => {
  let stale = false
  for (;;) {
    const i = Atomics.add(status, 1, 1)
    if (i >= paths.length) break
    let answer = ${STALE}
    if (!stale) stale = sources.some((source, k) => stamp(source) !== stamps[k])
    if (ifPresent && !lstatSync(paths[i], { throwIfNoEntry: false })) {
      answer = ${FAILED}
    } else if (!stale) {
      try {
        unlinkSync(paths[i])
        answer = ${UNLINKED}
      } catch (error) {
        if (!ifPresent) errors.postMessage({ i, message: String(error && error.message) })
        answer = ${FAILED}
      }
    }
    Atomics.store(status, i + 2, answer)
    Atomics.add(status, 0, 1)
    Atomics.notify(status, 0)
  }
})
`

let helpers: Worker[] = []
/** Set when a helper stopped: files handed to it may never be answered. */
let stopped: Error | null = null

function startedHelpers(): Worker[] {
  while (helpers.length < THREADS) {
    const w = new Worker(HELPER, { eval: true })
    w.unref()
    const stop = (error: Error) => {
      stopped = error
      helpers = helpers.filter((h) => h !== w)
    }
    w.on('error', stop)
    w.on('exit', () => stop(new Error('an unlinking thread stopped')))
    helpers.push(w)
  }
  stopped = null
  return helpers
}

export interface RoundAnswer {
  /** UNLINKED, STALE or failed (then `errors` has its message). */
  answer: number
  error?: string
}

/**
 * Unlinks `paths` on the helpers while `sources` keep the `stamps` taken before their claims were checked.
 * `answered(i, answer)` is called on this thread as each one is answered (in no particular order).
 */
export function unlinkRound(
  paths: readonly string[],
  sources: readonly string[],
  stamps: readonly string[],
  answered: (i: number, answer: RoundAnswer) => void,
  /** `ifPresent`: lock files, most never made: each is asked for first, and a failure is answered with no message. */
  { ifPresent = false }: { ifPresent?: boolean } = {}
): void {
  if (paths.length === 0) return
  const status = new Int32Array(new SharedArrayBuffer(4 * (paths.length + 2)))
  // One port per helper for the messages of failed unlinks (a port goes to one thread only).
  const ports: MessagePort[] = []
  try {
    for (const w of startedHelpers()) {
      const { port1, port2 } = new MessageChannel()
      ports.push(port1)
      w.postMessage({ status, sources, stamps, paths, errors: port2, ifPresent }, [port2])
    }
    const reported = new Uint8Array(paths.length)
    let seen = 0
    // Every index below `low` is reported, and an answered one is below what the helpers have taken (status[1]):
    // a wake (one a file) looks at the few files in flight, not at the whole round of thousands.
    let low = 0
    const messages = new Map<number, string>()
    const drain = () => {
      for (const port of ports) {
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
          const { i, message } = m.message as { i: number; message: string }
          messages.set(i, message)
        }
      }
    }
    while (seen < paths.length) {
      const done = Atomics.load(status, 0)
      if (done <= seen) {
        // The files not answered stay in the trash, journaled: the next removal or start finishes them.
        if (stopped) throw stopped
        Atomics.wait(status, 0, done, 1000)
        continue
      }
      drain()
      const taken = Math.min(Atomics.load(status, 1), paths.length)
      for (let i = low; i < taken; i++) {
        const answer = Atomics.load(status, i + 2)
        if (answer === 0 || reported[i]) continue
        reported[i] = 1
        seen++
        answered(i, answer === FAILED ? { answer, error: messages.get(i) ?? 'unknown error' } : { answer })
      }
      while (low < paths.length && reported[low]) low++
    }
  } finally {
    for (const port of ports) port.close()
  }
}
