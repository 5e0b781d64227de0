// The cache core in a worker thread, so disk-usage walks, prune planning and deletions never freeze
// the Electron main thread (which also pumps the window's events).
//
// Built as its own entry (`out/main/core-worker.js`, see electron.vite.config.ts). It owns one
// `Cache` for its whole life; switching the microsandbox home starts a new worker. It starts on the app
// state it is handed (workerData), which only the operations the table marks `appState` change. Arguments were validated by `dispatch` before
// they were posted; errors go back as data, never as a thrown clone.
import { parentPort, workerData } from 'node:worker_threads'
import { openCache } from '../core/cache'
import type { Cache } from '../core/cache'
import type { CallOptions, OperationProgress } from '../../shared/contract'
import { demoBuilder } from '../demo/demo-builder'
import { serializeError } from '../../shared/errors'
import { logUnexpected } from './internal-errors'
import type { CoreCommand, CoreReply, CoreWorkerData } from './worker-protocol'

if (!parentPort) throw new Error('core-worker.ts must run in a worker thread')
const port = parentPort

const data = workerData as CoreWorkerData
let cache: Cache | undefined
let openError: unknown

try {
  cache = openCache({
    home: data.state.home,
    alsoHomes: data.state.alsoHomes,
    env: data.env ?? process.env,
    demo: demoBuilder,
    sizeStoreDir: data.sizeStoreDir
  })
  // The demo it replaced, if the state is a demo's.
  cache.adopt(data.state)
} catch (error) {
  // Reported on every call instead of crashing the worker, so the UI can show why.
  openError = error
}

port.on('message', (command: CoreCommand) => {
  if (command.kind === 'close') {
    // Close the database cleanly (checkpoint, release locks), then let the thread end.
    cache?.close()
    cache = undefined
    port.close()
    return
  }
  void answer(command)
})

async function answer(command: Extract<CoreCommand, { kind: 'call' }>): Promise<void> {
  let reply: CoreReply
  try {
    if (!cache) throw openError ?? new Error('the cache is closed')
    const method = cache[command.op] as (args: unknown, options?: CallOptions) => unknown
    const onProgress = (progress: OperationProgress) =>
      port.postMessage({ id: command.id, progress } satisfies CoreReply)
    // Awaited: a core operation may answer with a promise (openDemo loads its builder first).
    reply = { id: command.id, ok: true, result: await method.call(cache, command.args, { onProgress }) }
  } catch (error) {
    logUnexpected(error, `core worker ${command.op}`)
    reply = { id: command.id, ok: false, error: serializeError(error) }
  }
  try {
    port.postMessage(reply)
  } catch (error) {
    // A result that cannot be cloned is a core bug; still answer, so the caller does not hang.
    port.postMessage({ id: command.id, ok: false, error: serializeError(error) } satisfies CoreReply)
  }
}
