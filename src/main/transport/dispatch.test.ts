import { describe, expect, it, vi } from 'vitest'
import { dispatch } from './dispatch'
import { recordingApi, SAMPLE_STATUS } from '../../../test-support/transport/recording-api'

describe('dispatch', () => {
  it('calls the core with validated arguments and wraps the result', async () => {
    const { api, calls } = recordingApi()
    await expect(dispatch(api, 'status', {})).resolves.toEqual({ ok: true, result: SAMPLE_STATUS })
    expect(calls).toEqual([{ op: 'status', args: {} }])
  })

  it('treats a missing argument as an empty object', async () => {
    const { api } = recordingApi()
    await expect(dispatch(api, 'list', undefined)).resolves.toEqual({ ok: true, result: [] })
  })

  it.each([
    ['__proto__', {}],
    ['constructor', {}],
    ['toString', {}],
    ['close', {}],
    ['', {}],
    [42 as unknown as string, {}]
  ])('rejects the unknown operation %j without calling the core', async (op, args) => {
    const { api, calls } = recordingApi()
    const answer = await dispatch(api, op, args)
    expect(answer).toMatchObject({ ok: false, error: { code: 'InvalidArgument' } })
    expect(calls).toEqual([])
  })

  it.each([
    ['get', {}],
    ['get', { reference: '' }],
    ['get', { reference: 'a\u0000b' }],
    ['get', { reference: 'alpine', extra: 1 }],
    ['status', { unexpected: true }],
    ['openDemo', { home: '/etc' }],
    ['remove', { references: ['alpine'], force: 'yes' }],
    ['remove', { references: [], force: false }],
    ['prune', { scope: { kind: 'everything' } }],
    ['prune', 'unused'],
    // Destructive calls must name an approved plan (HTTP and IPC both go through dispatch).
    ['remove', { references: ['alpine'], force: false }],
    ['remove', { references: ['alpine'], force: false, fingerprint: '' }],
    ['prune', { scope: { kind: 'unused' } }],
    ['list', [1, 2]]
  ])('rejects bad arguments for %s (%j) without calling the core', async (op, args) => {
    const { api, calls } = recordingApi()
    const answer = await dispatch(api, op, args)
    expect(answer).toMatchObject({ ok: false, error: { code: 'InvalidArgument' } })
    expect(calls).toEqual([])
  })

  it('returns core errors as data with their code and details', async () => {
    const { api } = recordingApi()
    await expect(dispatch(api, 'get', { reference: 'nope:1' })).resolves.toEqual({
      ok: false,
      error: { code: 'ImageNotFound', message: 'image not found: nope:1', details: { reference: 'nope:1' } }
    })
  })

  it('turns an unexpected throw into Internal instead of throwing, and logs its stack on the main side', async () => {
    const { api } = recordingApi()
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      await expect(dispatch(api, 'usage', {})).resolves.toEqual({
        ok: false,
        error: { code: 'Internal', message: 'core bug' }
      })
      expect(log).toHaveBeenCalledTimes(1)
      expect(String(log.mock.calls[0][1])).toMatch(/^TypeError: core bug\n\s+at /)
    } finally {
      log.mockRestore()
    }
  })

  it('logs nothing for the errors the core means to give (CacheError)', async () => {
    const { api } = recordingApi()
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      await dispatch(api, 'get', { reference: 'nope:1' })
      await dispatch(api, 'get', { reference: 42 })
      expect(log).not.toHaveBeenCalled()
    } finally {
      log.mockRestore()
    }
  })

  it('awaits asynchronous apis and serialises their rejections', async () => {
    const { api } = recordingApi()
    const asyncApi = { ...api, status: async () => api.status({}), list: async () => Promise.reject(new Error('gone')) }
    await expect(dispatch(asyncApi, 'status', {})).resolves.toEqual({ ok: true, result: SAMPLE_STATUS })
    await expect(dispatch(asyncApi, 'list', {})).resolves.toEqual({
      ok: false,
      error: { code: 'Internal', message: 'gone' }
    })
  })
})
