import { beforeAll, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../test-support/electron/fake-electron'))

import { channelOf, OPERATIONS, PROGRESS_CHANNEL } from '../shared/operations'
import { emitToRenderer, fake, resetFake } from '../../test-support/electron/fake-electron'

beforeAll(async () => {
  resetFake()
  await import('./index')
})

describe('preload', () => {
  it('exposes exactly one object, window.cacheApi', () => {
    expect(fake.exposed).toHaveLength(1)
    expect(fake.exposed[0].key).toBe('cacheApi')
  })

  it('has exactly the contract operations as keys, each a function, and is frozen', () => {
    const api = fake.exposed[0].api as Record<string, unknown>
    expect(Object.keys(api).sort()).toEqual([...OPERATIONS].sort())
    for (const op of OPERATIONS) expect(typeof api[op]).toBe('function')
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('forwards each call to its channel with the argument only, and returns the answer as is', async () => {
    const api = fake.exposed[0].api as Record<string, (args: unknown) => Promise<unknown>>
    for (const op of OPERATIONS) {
      fake.invoked.length = 0
      await expect(api[op]({ probe: op })).resolves.toEqual({ ok: true, result: { channel: channelOf(op) } })
      expect(fake.invoked).toEqual([{ channel: channelOf(op), args: [{ probe: op }] }])
    }
  })

  it("passes progress for a call to that call's callback only, and only until the call answers", async () => {
    const api = fake.exposed[0].api as Record<
      string,
      (args: unknown, onProgress?: (p: unknown) => void) => Promise<unknown>
    >
    let answer: (value: unknown) => void = () => undefined
    fake.invokeAnswer = () => new Promise((resolve) => (answer = resolve))
    fake.invoked.length = 0
    const mine: unknown[] = []
    const call = api.prune({ scope: { kind: 'unused' } }, (p) => mine.push(p))
    const callId = fake.invoked[0].args[1]
    expect(typeof callId).toBe('number')
    emitToRenderer(PROGRESS_CHANNEL, callId, { phase: 'moving' })
    emitToRenderer(PROGRESS_CHANNEL, Number(callId) + 1, { phase: 'someone else' })
    answer({ ok: true, result: 'done' })
    await expect(call).resolves.toEqual({ ok: true, result: 'done' })
    emitToRenderer(PROGRESS_CHANNEL, callId, { phase: 'late' })
    expect(mine).toEqual([{ phase: 'moving' }])
    fake.invokeAnswer = undefined
  })

  it('leaks no Electron object: nothing exposed holds ipcRenderer or its methods', async () => {
    const { ipcRenderer } = await import('../../test-support/electron/fake-electron')
    const api = fake.exposed[0].api as Record<string, unknown>
    for (const value of Object.values(api)) {
      expect(value).not.toBe(ipcRenderer)
      expect(value).not.toBe(ipcRenderer.invoke)
    }
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|send|on\b|invoke/)
  })
})
