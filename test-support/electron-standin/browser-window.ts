// `BrowserWindow`: a Chromium page (webContents) plus the window state Electron keeps around it.
// close() asks the window's 'close' listeners first, destroy() does not; the last window to go
// hands over to `app` (window-all-closed, or the rest of a quit).
import { EventEmitter } from 'node:events'
import type { Page } from 'playwright-core'
import { app } from './app'
import { onCommand, record } from './control'
import { electronEvent } from './event'
import { WebContents } from './web-contents'
import type { WebPreferencesLike } from './web-contents'
import { addWindow, allWindows, removeWindow } from './window-registry'

interface Bounds {
  x: number
  y: number
  width: number
  height: number
}

export interface BrowserWindowOptions {
  x?: number
  y?: number
  width?: number
  height?: number
  title?: string
  show?: boolean
  webPreferences?: WebPreferencesLike
}

let nextId = 1
let focused: BrowserWindow | null = null

function markFocused(window: BrowserWindow): void {
  focused = window
}

export class BrowserWindow extends EventEmitter {
  readonly id = nextId++
  readonly webContents: WebContents
  private bounds: Bounds
  private title: string
  private visible: boolean
  private maximized = false
  private minimized = false
  private destroyed = false
  private readonly gone: Promise<void>
  private markGone!: () => void

  static getAllWindows(): BrowserWindow[] {
    return allWindows() as BrowserWindow[]
  }

  static fromWebContents(contents: unknown): BrowserWindow | null {
    return BrowserWindow.getAllWindows().find((window) => window.webContents === contents) ?? null
  }

  static getFocusedWindow(): BrowserWindow | null {
    return focused && !focused.destroyed ? focused : null
  }

  constructor(options: BrowserWindowOptions = {}) {
    super()
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready')
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 }
    this.title = options.title ?? app.getName()
    this.visible = options.show !== false
    this.gone = new Promise((resolve) => (this.markGone = resolve))
    this.webContents = new WebContents(
      () => this.openPage(),
      options.webPreferences ?? {},
      () => this.onPageGone()
    )
    addWindow(this)
    record({ kind: 'window-created', window: this.id })
    markFocused(this)
    // Electron's ready-to-show: the first time the page has loaded and painted.
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show', electronEvent()))
  }

  private async openPage(): Promise<Page> {
    const page = await app.browserContext.newPage()
    const cdp = await page.context().newCDPSession(page)
    // A desktop window has the OS focus; a headless page has none unless it is emulated, and
    // without it `:focus` and keyboard focus do not behave as they do in the app.
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true })
    // window.open: Chromium reports the URL the page asked for here, before the popup exists.
    await cdp.send('Page.enable')
    cdp.on('Page.windowOpen', (event: { url: string }) => this.webContents.noteWindowOpen(event.url))
    try {
      const { windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number }
      await cdp.send('Browser.setWindowBounds', {
        windowId,
        bounds: { width: this.bounds.width, height: this.bounds.height }
      })
    } catch {
      // headless builds without window bounds keep Chromium's default size
    }
    return page
  }

  private onPageGone(): void {
    if (!this.destroyed) this.destroyed = true
    if (focused === this) focused = null
    this.emit('closed', electronEvent())
    record({ kind: 'window-closed', window: this.id })
    this.markGone()
    if (removeWindow(this)) app.onWindowAllClosed()
  }

  close(): void {
    if (this.destroyed) return
    const event = electronEvent()
    this.emit('close', event)
    if (event.defaultPrevented) {
      app.onWindowCloseCancelled()
      return
    }
    this.destroy()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    void this.webContents.whenPageReady().then(
      (page) => page.close(),
      () => this.onPageGone()
    )
  }

  closed(): Promise<void> {
    return this.gone
  }

  isDestroyed(): boolean {
    return this.destroyed
  }

  show(): void {
    this.visible = true
    this.focus()
  }

  hide(): void {
    this.visible = false
  }

  isVisible(): boolean {
    return this.visible
  }

  focus(): void {
    markFocused(this)
    record({ kind: 'window-focus', window: this.id })
    this.webContents.focus()
  }

  isFocused(): boolean {
    return focused === this
  }

  minimize(): void {
    this.minimized = true
  }

  isMinimized(): boolean {
    return this.minimized
  }

  restore(): void {
    this.minimized = false
  }

  maximize(): void {
    this.maximized = true
  }

  unmaximize(): void {
    this.maximized = false
  }

  isMaximized(): boolean {
    return this.maximized
  }

  getBounds(): Bounds {
    return { ...this.bounds }
  }

  getNormalBounds(): Bounds {
    return { ...this.bounds }
  }

  setBounds(bounds: Partial<Bounds>): void {
    this.bounds = { ...this.bounds, ...bounds }
  }

  getTitle(): string {
    return this.title
  }

  setTitle(title: string): void {
    this.title = title
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url)
  }

  loadFile(path: string, options?: Parameters<WebContents['loadFile']>[1]): Promise<void> {
    return this.webContents.loadFile(path, options)
  }

  setMenu(): void {}
  setMenuBarVisibility(): void {}
}

// The user closes the window (its close button): the same path as close().
onCommand('closeWindow', () => {
  const window = BrowserWindow.getAllWindows()[0]
  if (!window) throw new Error('no window is open')
  window.close()
})

onCommand('windows', () =>
  BrowserWindow.getAllWindows().map((window) => ({
    id: window.id,
    title: window.getTitle(),
    visible: window.isVisible(),
    url: window.webContents.getURL()
  }))
)
