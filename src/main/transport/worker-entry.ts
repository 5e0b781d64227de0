// Where the core worker's code is: beside the built code (out/main/core-worker.js) or, running from
// source (tsx, vitest), the TypeScript file with tsx as the worker's loader.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface WorkerEntry {
  workerUrl: string
  execArgv?: string[]
}

export function coreWorkerEntry(): WorkerEntry {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts')) return { workerUrl: join(dirname(here), 'core-worker.ts'), execArgv: ['--import', 'tsx'] }
  // Built, this code is in out/main/ or in one of its chunks (out/main/chunks/).
  for (const dir of [dirname(here), dirname(dirname(here))]) {
    const path = join(dir, 'core-worker.js')
    if (existsSync(path)) return { workerUrl: path }
  }
  throw new Error(`core-worker.js is not beside ${here}; run \`npm run build\``)
}
