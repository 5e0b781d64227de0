// Unlinks many files with several unlinks in flight at once, behind a synchronous call.
//
// Why: a prune of everything at 10,000 images unlinks ~27,000 files, and one unlink at a time is the
// kernel's latency per call (ext4 waits on its journal; with online discard and other I/O on the disk
// that is milliseconds per file). With 16 in flight the same files went in 9 s instead of 69 s here
// (BENCHMARKS.md). Writes are synchronous from the transaction to the report (write-operation.ts),
// so the unlinks run in a worker thread's event loop (async fs, libuv's thread pool) while this
// thread waits on an Atomics flag, and the answers come back by a synchronous message read.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'

/** In flight at once in the worker (libuv's pool runs them on its threads). */
const IN_FLIGHT = 16

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
const { unlink } = require('node:fs/promises')
const { paths, flag, port, inFlight } = workerData
const errors = new Array(paths.length).fill(null)
let next = 0
async function lane() {
  while (next < paths.length) {
    const i = next++
    try { await unlink(paths[i]) } catch (error) { errors[i] = error.message }
  }
}
Promise.all(Array.from({ length: inFlight }, lane)).then(() => {
  port.postMessage(errors)
  Atomics.store(flag, 0, 1)
  Atomics.notify(flag, 0)
})
`

/** Unlinks every path; answers, per path, null or the error message. Blocks until all are done. */
export function unlinkAll(paths: readonly string[]): (string | null)[] {
  if (paths.length === 0) return []
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const { port1, port2 } = new MessageChannel()
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { paths, flag, port: port2, inFlight: IN_FLIGHT },
    transferList: [port2]
  })
  try {
    while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 1000)
    const message = receiveMessageOnPort(port1)
    if (!message) throw new Error('the unlinking thread gave no answer')
    return message.message as (string | null)[]
  } finally {
    port1.close()
    void worker.terminate()
  }
}
