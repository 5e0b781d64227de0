import { describe, expect, it } from 'vitest'
import type { AsyncCacheApi } from '../../shared/contract'
import { HEAVY_OPERATIONS, OPERATIONS } from '../../shared/operations'
import { routeByWeight } from './operation-weight'
import { recordingApi } from '../../../test-support/transport/recording-api'

describe('operation weight', () => {
  it('sends every write and the plan it executes to the same (heavy) side', () => {
    for (const op of ['remove', 'prune', 'openDemo', 'closeDemo', 'shareCacheWith'] as const)
      expect(HEAVY_OPERATIONS.has(op)).toBe(true)
    expect(HEAVY_OPERATIONS.has('removePlan')).toBe(true)
    expect(HEAVY_OPERATIONS.has('prunePlan')).toBe(true)
    expect(HEAVY_OPERATIONS.has('usage')).toBe(true)
    expect(HEAVY_OPERATIONS.has('insight')).toBe(true)
  })

  it('routes heavy operations to the worker and light ones in-process', async () => {
    const light = recordingApi()
    const heavy = recordingApi()
    const heavyAsync = Object.fromEntries(
      OPERATIONS.map((op) => [op, async (args: unknown) => (heavy.api[op] as (a: unknown) => unknown)(args)])
    ) as unknown as AsyncCacheApi
    const api = routeByWeight(light.api, heavyAsync)
    for (const op of OPERATIONS) await (api[op] as (a: unknown) => Promise<unknown>)({}).catch(() => undefined)
    expect(heavy.calls.map((c) => c.op).sort()).toEqual([...HEAVY_OPERATIONS].sort())
    expect(light.calls.map((c) => c.op).sort()).toEqual(OPERATIONS.filter((op) => !HEAVY_OPERATIONS.has(op)).sort())
  })
})
