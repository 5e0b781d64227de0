// `webContents`: one Chromium page per window. It carries the page's IPC to `ipcMain` with a real
// sender frame, runs the preload before the page's scripts, asks the app's navigation and
// window-open handlers when the page tries to leave or open a window, and applies the session
// (permissions, response headers).
import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { format } from 'node:url'
import { resolve } from 'node:path'
import type { Frame, Page, Route } from 'playwright-core'
import { record } from './control'
import { electronEvent } from './event'
import { ipcMain } from './ipc-main'
import { preloadInitScript } from './preload-script'
import { encodeReply } from './reply-codec'
import { session } from './session'
import { webFrameMain } from './web-frame'

export interface WebPreferencesLike {
  preload?: string
  contextIsolation?: boolean
  sandbox?: boolean
  nodeIntegration?: boolean
}

type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string }) => {
  action: 'allow' | 'deny'
}

type PageMessage =
  | { kind: 'invoke'; channel: string; args: unknown[] }
  | { kind: 'send'; channel: string; args: unknown[] }
  | { kind: 'csp'; directive: string; blocked: string; source: string }
  | { kind: 'preload-error'; message: string }

const byPage = new Map<Page, WebContents>()
let nextId = 1

export function contentsOfPage(page: Page): WebContents | undefined {
  return byPage.get(page)
}

/** A page opened by one of ours (window.open, target=_blank): its opener's window-open handler decides. */
export async function onNewPage(page: Page): Promise<void> {
  const opener = await page.opener().catch(() => null)
  if (!opener) return
  const contents = byPage.get(opener)
  if (contents) await contents.onWindowOpen(page)
  else await page.close().catch(() => undefined)
}

export class WebContents extends EventEmitter {
  readonly id = nextId++
  readonly session = session.defaultSession
  page: Page | undefined
  private readonly ready: Promise<Page>
  private windowOpenHandler: WindowOpenHandler | undefined
  private readonly receiver = `__standInReceiver_${randomBytes(8).toString('hex')}`
  /** The URL a loadURL/reload is taking the page to: not a navigation the page started. */
  private expected: string | null = null
  private destroyed = false

  constructor(
    newPage: () => Promise<Page>,
    preferences: WebPreferencesLike,
    private readonly onPageGone: () => void
  ) {
    super()
    this.ready = this.attach(newPage, preferences)
    this.ready.catch((error: unknown) => console.error('electron stand-in: the window did not open:', error))
  }

  private async attach(newPage: () => Promise<Page>, preferences: WebPreferencesLike): Promise<Page> {
    const page = await newPage()
    this.page = page
    byPage.set(page, this)
    const binding = `__standInIpc_${randomBytes(8).toString('hex')}`
    await page.exposeBinding(binding, ({ frame }, message: PageMessage) => this.fromPage(frame, message))
    const chrome = page.context().browser()?.version() ?? 'unknown'
    await page.addInitScript({
      content: preloadInitScript({ binding, receiver: this.receiver, preloadPath: preferences.preload, chrome })
    })
    await page.route(
      (url) => /^(https?|wss?):$/.test(url.protocol),
      (route) => this.onRequest(route)
    )
    page.on('framenavigated', (frame) => this.onNavigated(frame))
    page.on('domcontentloaded', () => this.emit('dom-ready', electronEvent()))
    page.on('load', () => this.emit('did-finish-load', electronEvent()))
    page.on('close', () => {
      byPage.delete(page)
      this.destroyed = true
      this.emit('destroyed', electronEvent())
      this.onPageGone()
    })
    return page
  }

  private async fromPage(frame: Frame, message: PageMessage): Promise<unknown> {
    const event = electronEvent({ sender: this, senderFrame: webFrameMain(frame), processId: 1, frameId: 0 })
    switch (message.kind) {
      case 'invoke':
        record({ kind: 'ipc', channel: message.channel, frameUrl: frame.url() })
        return encodeReply(await ipcMain.invoke(event, message.channel, message.args))
      case 'send':
        ipcMain.emit(message.channel, event, ...structuredClone(message.args))
        return null
      case 'csp':
        record({
          kind: 'csp-violation',
          directive: message.directive,
          blocked: message.blocked,
          source: message.source
        })
        return null
      case 'preload-error':
        record({ kind: 'preload-error', message: message.message })
        this.emit('preload-error', electronEvent(), '', new Error(message.message))
        return null
    }
  }

  /** http(s) requests: the navigation policy for navigations, the session for response headers. */
  private async onRequest(route: Route): Promise<void> {
    const request = route.request()
    if (request.isNavigationRequest()) {
      const frame = request.frame()
      const url = request.url()
      const isMainFrame = frame.parentFrame() === null
      if (isMainFrame && url === this.expected) this.expected = null
      else if (!this.allowNavigation(url, frame)) return route.abort('aborted')
    }
    return this.session.handleResponse(route)
  }

  /** Electron's will-frame-navigate then (main frame) will-navigate; true when neither was prevented. */
  private allowNavigation(url: string, frame: Frame): boolean {
    const isMainFrame = frame.parentFrame() === null
    const frameEvent = electronEvent({ url, isMainFrame, frame: webFrameMain(frame) })
    this.emit('will-frame-navigate', frameEvent)
    let allowed = !frameEvent.defaultPrevented
    if (allowed && isMainFrame) {
      const event = electronEvent({ url, isMainFrame })
      this.emit('will-navigate', event, url)
      allowed = !event.defaultPrevented
    }
    record({ kind: 'navigation', url, allowed, mainFrame: isMainFrame })
    return allowed
  }

  /** file: and other URLs are not interceptable: the policy is asked after the fact and must have allowed it. */
  private lastUrl = ''
  private onNavigated(frame: Frame): void {
    if (frame.parentFrame() !== null) return
    const url = frame.url()
    const withoutHash = url.split('#')[0]
    const previous = this.lastUrl.split('#')[0]
    this.lastUrl = url
    if (this.expected !== null && withoutHash === this.expected.split('#')[0]) {
      this.expected = null
    } else if (withoutHash !== previous && !/^(https?|wss?):/.test(url)) {
      if (!this.allowNavigation(url, frame))
        record({ kind: 'navigation', url: `${url} (not stoppable in the stand-in)`, allowed: false, mainFrame: true })
    }
    this.emit('did-navigate', electronEvent(), url)
    this.session.applyPermissions(this, url)
  }

  /** Called by the context when a page opens a window: the handler decides, Electron-style. */
  private readonly requestedWindows: string[] = []
  private windowRequested: (() => void) | undefined

  /** The URL of a window.open, reported by Chromium before the popup exists. */
  noteWindowOpen(url: string): void {
    this.requestedWindows.push(url)
    this.windowRequested?.()
  }

  private async nextRequestedWindow(popup: Page): Promise<string> {
    if (this.requestedWindows.length === 0) {
      await new Promise<void>((resolve) => {
        this.windowRequested = resolve
        setTimeout(resolve, 2_000)
      })
    }
    return this.requestedWindows.shift() ?? popup.url()
  }

  async onWindowOpen(popup: Page): Promise<void> {
    const url = await this.nextRequestedWindow(popup)
    const decision = this.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' }) ?? {
      action: 'allow'
    }
    record({ kind: 'window-open', url, action: decision.action })
    if (decision.action === 'deny') await popup.close().catch(() => undefined)
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler
  }

  async loadURL(url: string): Promise<void> {
    const page = await this.ready
    this.expected = url
    await page.goto(url)
  }

  /** Electron builds the URL with the legacy url.format, not pathToFileURL (electron/lib/browser/api/web-contents.ts). */
  loadFile(
    filePath: string,
    options: { query?: Record<string, string>; search?: string; hash?: string } = {}
  ): Promise<void> {
    const url = format({ protocol: 'file', slashes: true, pathname: resolve(filePath), ...options })
    return this.loadURL(url)
  }

  reload(): void {
    void this.ready.then((page) => {
      this.expected = page.url()
      return page.reload()
    })
  }

  getURL(): string {
    return this.page?.url() ?? ''
  }

  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args)
    void this.ready.then((page) =>
      page
        .mainFrame()
        .evaluate(
          ([name, ch, values]) =>
            (globalThis as unknown as Record<string, (c: string, a: unknown[]) => void>)[name]?.(ch, values),
          [this.receiver, channel, cloned] as const
        )
        .catch(() => undefined)
    )
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  isLoading(): boolean {
    return false
  }

  focus(): void {
    void this.page?.bringToFront().catch(() => undefined)
  }

  openDevTools(): void {}
  closeDevTools(): void {}
  toggleDevTools(): void {}

  whenPageReady(): Promise<Page> {
    return this.ready
  }
}
