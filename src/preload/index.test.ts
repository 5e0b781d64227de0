import { beforeAll, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../test-support/electron/fake-electron'))

import { channelOf, OPERATIONS } from '../shared/operations'
import { fake, resetFake } from '../../test-support/electron/fake-electron'

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
