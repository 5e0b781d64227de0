// Unlinks that overlap. Under load a removal spent most of its time waiting in unlink(2), one file at a time
// (the disk's latency, not CPU); a few unlinks in flight at once hide most of it. The claims of each file are
// still asked right before it is handed over (file-removal.ts), and it is handed over at once: a file is
// never checked and then left waiting, since at most IN_FLIGHT unlinks are under way and the next file is
// checked only when one of them has finished.
//
// The core is synchronous, so the unlinks run on a helper thread (libuv's pool behind it) and this thread
// waits on shared memory. One thread per process, started on first use and never keeping the process alive.
import { Worker } from 'node:worker_threads'

/** Unlinks under way at once: enough to overlap the disk's latency, few enough to keep check and unlink close. */
export const IN_FLIGHT = 8

const WORKER = `
const { parentPort } = require('node:worker_threads')
const { unlink } = require('node:fs')
parentPort.on('message', ({ status, slot, path }) => {
  unlink(path, (error) => {
    Atomics.store(status, slot + 1, error ? (error.errno || -1) : 1)
    Atomics.add(status, 0, 1)
    Atomics.notify(status, 0)
  })
})
`

let worker: Worker | null = null
/** Set when the thread stopped: unlinks handed to it may never be answered. */
let stopped: Error | null = null

function unlinker(): Worker {
  if (!worker) {
    const w = new Worker(WORKER, { eval: true })
    w.unref()
    const stop = (error: Error) => {
      stopped = error
      if (worker === w) worker = null
    }
    w.on('error', stop)
    w.on('exit', () => stop(new Error('the unlinking thread stopped')))
    worker = w
    stopped = null
  }
  return worker
}

/** One removal's unlinks: `add` hands a path over (waiting while IN_FLIGHT are under way); `wait` ends them all. */
export class UnlinkPool {
  private readonly status: Int32Array
  private sent = 0

  constructor(capacity: number) {
    this.status = new Int32Array(new SharedArrayBuffer(4 * (capacity + 1)))
  }

  /** Waits until fewer than `limit` unlinks are under way. */
  private settle(limit: number): void {
    for (;;) {
      const finished = Atomics.load(this.status, 0)
      if (this.sent - finished < limit) return
      // The files not answered stay in the trash, journaled: the next removal or start finishes them.
      if (stopped) throw stopped
      Atomics.wait(this.status, 0, finished, 1000)
    }
  }

  /** Waits for a free slot (then a file may be checked and handed over at once); answers how many have finished. */
  ready(): number {
    this.settle(IN_FLIGHT)
    return Atomics.load(this.status, 0)
  }

  /** Hands `path` over; answers its slot. Call `ready` first, then check the file, then this. */
  add(path: string): number {
    const slot = this.sent++
    unlinker().postMessage({ status: this.status, slot, path })
    return slot
  }

  /** Waits for every unlink; then `result(slot)` is 1 for removed, else a negative errno. */
  wait(): void {
    this.settle(1)
  }

  result(slot: number): number {
    return Atomics.load(this.status, slot + 1)
  }
}
