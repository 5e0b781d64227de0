import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { closeBeforeQuit } from './quit-cleanly'

function fakeApp() {
  const emitter = new EventEmitter()
  const exits: number[] = []
  const app = {
    on: (event: 'will-quit', listener: (event: { preventDefault(): void }) => void) => emitter.on(event, listener),
    exit: (code = 0) => void exits.push(code)
  }
  const willQuit = () => {
    let prevented = false
    emitter.emit('will-quit', { preventDefault: () => (prevented = true) })
    return prevented
  }
  return { app, exits, willQuit }
}

afterEach(() => vi.useRealTimers())

describe('closeBeforeQuit', () => {
  it('holds the quit until the session has closed, then exits once', async () => {
    const { app, exits, willQuit } = fakeApp()
    let release!: () => void
    const closed = new Promise<void>((resolve) => (release = resolve))
    closeBeforeQuit(app, () => closed)
    expect(willQuit()).toBe(true)
    await Promise.resolve()
    expect(exits).toEqual([])
    release()
    await vi.waitFor(() => expect(exits).toEqual([0]))
  })

  it('exits even when closing settles at once (the quit Electron would ignore)', async () => {
    const { app, exits, willQuit } = fakeApp()
    closeBeforeQuit(app, () => undefined)
    willQuit()
    await vi.waitFor(() => expect(exits).toEqual([0]))
  })

  it('exits when closing fails', async () => {
    const { app, exits, willQuit } = fakeApp()
    closeBeforeQuit(app, () => Promise.reject(new Error('worker gone')))
    willQuit()
    await vi.waitFor(() => expect(exits).toEqual([0]))
  })

  it('the watchdog ends a close that hangs', async () => {
    vi.useFakeTimers()
    const { app, exits, willQuit } = fakeApp()
    closeBeforeQuit(app, () => new Promise<void>(() => undefined), 1_000)
    willQuit()
    await vi.advanceTimersByTimeAsync(999)
    expect(exits).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(exits).toEqual([0])
  })
})
