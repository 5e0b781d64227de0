// A stand-in `CacheApi` for transport tests only: it records calls so a test can prove that a bad
// request never reached the core. Cache behaviour itself is tested against real caches in core/.
import type { CacheApi, CacheStatus, Operation } from '../../src/shared/contract'
import { CacheError } from '../../src/shared/errors'
import { OPERATIONS } from '../../src/shared/operations'

export interface RecordingApi {
  api: CacheApi
  calls: Array<{ op: Operation; args: unknown }>
}

export const SAMPLE_STATUS: CacheStatus = {
  home: '/nowhere',
  cacheDir: '/nowhere/cache',
  dbPath: '/nowhere/db/msb.db',
  schema: { kind: 'missing' },
  readOnly: true,
  readOnlyReason: 'no database yet',
  imageCount: 0,
  manifestCount: 0,
  layerCount: 0,
  revision: 'r0',
  demoAvailable: false,
  demoOf: null,
  problem: null,
  alsoHomes: [],
  sharedCache: false
}

export function recordingApi(): RecordingApi {
  const calls: RecordingApi['calls'] = []
  const answers: Partial<Record<Operation, (args: never) => unknown>> = {
    status: () => SAMPLE_STATUS,
    list: () => [],
    get: (args: { reference: string }) => {
      throw new CacheError('ImageNotFound', `image not found: ${args.reference}`, { reference: args.reference })
    },
    usage: () => {
      throw new TypeError('core bug')
    }
  }
  const api = Object.fromEntries(
    OPERATIONS.map((op) => [
      op,
      (args: unknown) => {
        calls.push({ op, args })
        const answer = answers[op]
        if (!answer) throw new CacheError('Unsupported', `${op} is not implemented by the recording api`)
        return answer(args as never)
      }
    ])
  ) as unknown as CacheApi
  return { api, calls }
}
