import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../../test-support/electron/fake-electron'))

import type { CallableCacheApi, CallOptions, OperationProgress } from '../../shared/contract'
import { channelOf, OPERATIONS, PROGRESS_CHANNEL } from '../../shared/operations'
import { recordingApi } from '../../../test-support/transport/recording-api'
import type { RecordingApi } from '../../../test-support/transport/recording-api'
import { rendererLocation } from './app-location'
import {
  BrowserWindow,
  fake,
  FakeFrame,
  FakeWebContents,
  invokeEvent,
  resetFake
} from '../../../test-support/electron/fake-electron'
import { registerCacheHandlers } from './ipc-handlers'

const location = rendererLocation({ indexPath: '/app/out/renderer/index.html', packaged: true })
const OWN_URL = 'file:///app/out/renderer/index.html#/'

let recording: RecordingApi
let api: CallableCacheApi
let window: BrowserWindow

function call(op: string, event: unknown, args: unknown, callId?: unknown): Promise<unknown> {
  const handler = fake.handlers.get(`cache:${op}`)
  if (!handler) throw new Error(`no handler for ${op}`)
  return handler(event, args, callId) as Promise<unknown>
}

beforeEach(() => {
  resetFake()
  recording = recordingApi()
  api = recording.api
  window = new BrowserWindow()
  window.webContents.mainFrame.url = OWN_URL
  registerCacheHandlers({ getApi: () => api, location })
})

describe('registerCacheHandlers', () => {
  it('registers exactly one handler per contract operation, on its derived channel', () => {
    expect([...fake.handlers.keys()].sort()).toEqual(OPERATIONS.map(channelOf).sort())
    expect(fake.handlers.size).toBe(OPERATIONS.length)
  })

  it('answers our own page with WireResponse data', async () => {
    await expect(call('list', invokeEvent(window.webContents), {})).resolves.toEqual({ ok: true, result: [] })
    expect(recording.calls).toEqual([{ op: 'list', args: {} }])
  })

  it("sends a prune's progress to the calling page, tagged with the call id it came with", async () => {
    const progress: OperationProgress = {
      operation: 'prune',
      phase: 'moving',
      filesTotal: 3,
      filesMoved: 1,
      filesRemoved: 0,
      bytesTotal: 30,
      bytesFreed: 0
    }
    const report = {
      imageRefsRemoved: 0,
      manifestsRemoved: 0,
      layersRemoved: 0,
      fsmetaRemoved: 0,
      vmdkRemoved: 0,
      bytesReclaimed: null
    }
    api = {
      ...recording.api,
      prune: (_args, options?: CallOptions) => {
        options?.onProgress?.(progress)
        return { report, differences: [] }
      }
    }
    const page = window.webContents
    await expect(
      call('prune', invokeEvent(window.webContents), { scope: { kind: 'unused' }, fingerprint: 'f' }, 7)
    ).resolves.toMatchObject({ ok: true })
    expect(page.sent).toEqual([{ channel: PROGRESS_CHANNEL, args: [7, progress] }])
    // Without a usable call id, no progress is sent at all.
    await call('prune', invokeEvent(window.webContents), { scope: { kind: 'unused' }, fingerprint: 'f' }, 'x')
    expect(page.sent).toHaveLength(1)
  })

  it('returns core errors as data instead of throwing', async () => {
    await expect(call('get', invokeEvent(window.webContents), { reference: 'gone:1' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'ImageNotFound' }
    })
  })

  it.each([
    ['get', { reference: '' }],
    ['remove', { references: ['a'], force: 1 }],
    ['prune', { scope: { kind: 'all' } }],
    // No fingerprint of an approved plan: the window always has one, any other caller is refused.
    ['remove', { references: ['a'], force: false }],
    ['prune', { scope: { kind: 'unused' } }],
    ['imageFiles', { reference: 'a', layer: -1 }],
    ['imageFiles', { reference: 'a', layer: '0' }],
    ['list', 'x']
  ])('rejects bad arguments to %s without calling the core', async (op, args) => {
    await expect(call(op, invokeEvent(window.webContents), args)).resolves.toMatchObject({
      ok: false,
      error: { code: 'InvalidArgument' }
    })
    expect(recording.calls).toEqual([])
  })

  describe('refuses untrusted senders without calling the core', () => {
    const refused = { ok: false, error: { code: 'Forbidden', message: 'this frame may not call the cache API' } }

    it.each([
      'http://evil.example/',
      'file:///etc/passwd',
      'file:///app/out/renderer/other.html',
      'data:text/html,hi',
      'about:blank',
      'javascript:alert(1)'
    ])('a top frame of our window showing %s', async (url) => {
      window.webContents.mainFrame.url = url
      await expect(call('status', invokeEvent(window.webContents), {})).resolves.toEqual(refused)
      expect(recording.calls).toEqual([])
    })

    it('a subframe, even one showing our own page', async () => {
      const sub = new FakeFrame(OWN_URL, window.webContents.mainFrame)
      await expect(call('status', invokeEvent(window.webContents, sub), {})).resolves.toEqual(refused)
      expect(recording.calls).toEqual([])
    })

    it('a webContents that belongs to no window of ours', async () => {
      const stray = new FakeWebContents(OWN_URL)
      await expect(call('status', invokeEvent(stray), {})).resolves.toEqual(refused)
      expect(recording.calls).toEqual([])
    })

    it('a destroyed or missing frame', async () => {
      const frame = window.webContents.mainFrame
      frame.destroyed = true
      await expect(call('status', invokeEvent(window.webContents, frame), {})).resolves.toEqual(refused)
      await expect(call('status', invokeEvent(window.webContents, null), {})).resolves.toEqual(refused)
      expect(recording.calls).toEqual([])
    })
  })

  it('asks for the current api on every call (switching homes swaps it)', async () => {
    resetFake()
    window = new BrowserWindow()
    window.webContents.mainFrame.url = OWN_URL
    const second = recordingApi()
    let current = recording.api
    registerCacheHandlers({ getApi: () => current, location })
    await call('list', invokeEvent(window.webContents), {})
    current = second.api
    await call('list', invokeEvent(window.webContents), {})
    expect(recording.calls).toHaveLength(1)
    expect(second.calls).toHaveLength(1)
  })

  it('removes its handlers again', () => {
    resetFake()
    const unregister = registerCacheHandlers({ getApi: () => recording.api, location })
    unregister()
    expect(fake.handlers.size).toBe(0)
  })
})
