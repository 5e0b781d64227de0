// `WebFrameMain` for a Playwright frame: what `event.senderFrame` carries, read live from Chromium
// (the URL is the frame's real, current URL as Chromium reports it).
import type { Frame } from 'playwright-core'

export interface WebFrameMain {
  readonly url: string
  readonly origin: string
  readonly name: string
  readonly parent: WebFrameMain | null
  readonly top: WebFrameMain
  readonly detached: boolean
  isDestroyed(): boolean
}

const cache = new WeakMap<Frame, WebFrameMain>()

export function webFrameMain(frame: Frame): WebFrameMain {
  const known = cache.get(frame)
  if (known) return known
  const wrapped: WebFrameMain = {
    get url() {
      return frame.isDetached() ? '' : frame.url()
    },
    get origin() {
      const url = frame.url()
      return url.startsWith('file:') ? 'file://' : safeOrigin(url)
    },
    get name() {
      return frame.name()
    },
    get parent() {
      const parent = frame.parentFrame()
      return parent ? webFrameMain(parent) : null
    },
    get top() {
      let top = frame
      while (top.parentFrame()) top = top.parentFrame()!
      return webFrameMain(top)
    },
    get detached() {
      return frame.isDetached()
    },
    isDestroyed: () => frame.isDetached()
  }
  cache.set(frame, wrapped)
  return wrapped
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'null'
  }
}
