// A test double of the parts of `electron` the shell and the preload use, so their tests run under
// plain Node (there is no Electron binary in CI). Use it as
//   vi.mock('electron', () => import('<relative path>/test-support/electron/fake-electron'))
// and reach the recorded state through `fake`, resetting it in beforeEach with `resetFake()`.
//
// It records what the code under test asked Electron to do; it does not try to be Electron.
import { EventEmitter } from 'node:events'
import type { BrowserWindowConstructorOptions } from 'electron'

// Listeners take whatever Electron passes them; the fake does not type each event.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => unknown

export class FakeFrame {
  destroyed = false
  detached = false
  constructor(
    public url: string,
    public parent: FakeFrame | null = null
  ) {}
  get top(): FakeFrame {
    return this.parent ? this.parent.top : this
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
}

export class FakeWebContents extends EventEmitter {
  static nextId = 1
  readonly id = FakeWebContents.nextId++
  mainFrame: FakeFrame
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined
  loaded: Array<{ kind: 'url' | 'file'; target: string }> = []
  constructor(url = 'about:blank') {
    super()
    this.mainFrame = new FakeFrame(url)
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler
  }
  destroyed = false
  isDestroyed(): boolean {
    return this.destroyed
  }
  /** What main sent to this page (`webContents.send`), in order. */
  readonly sent: { channel: string; args: unknown[] }[] = []
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args })
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push({ kind: 'url', target: url })
  }
  async loadFile(file: string): Promise<void> {
    this.loaded.push({ kind: 'file', target: file })
  }
  reload(): void {}
  /** Fires a cancellable event the way Electron does and reports whether it was prevented. */
  fire(name: string, url: string): boolean {
    let prevented = false
    const event = { url, preventDefault: () => (prevented = true) }
    this.emit(name, event, url)
    return prevented
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  bounds = { x: 0, y: 0, width: 0, height: 0 }
  maximized = false
  constructor(public options: BrowserWindowConstructorOptions = {}) {
    super()
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 }
    BrowserWindow.all.push(this)
  }
  static getAllWindows(): BrowserWindow[] {
    return [...BrowserWindow.all]
  }
  static fromWebContents(contents: unknown): BrowserWindow | null {
    return BrowserWindow.all.find((w) => w.webContents === contents) ?? null
  }
  getNormalBounds() {
    return { ...this.bounds }
  }
  isMaximized(): boolean {
    return this.maximized
  }
  maximize(): void {
    this.maximized = true
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false
  }
  async loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url)
  }
  async loadFile(file: string): Promise<void> {
    return this.webContents.loadFile(file)
  }
}

class FakeSession {
  permissionRequestHandler: Listener | undefined
  permissionCheckHandler: Listener | undefined
  devicePermissionHandler: Listener | undefined
  headersReceived: Listener | undefined
  readonly webRequest = {
    onHeadersReceived: (listener: Listener) => {
      this.headersReceived = listener
    }
  }
  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler
  }
  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler
  }
  setDevicePermissionHandler(handler: Listener): void {
    this.devicePermissionHandler = handler
  }
}

interface FakeState {
  handlers: Map<string, Listener>
  exposed: Array<{ key: string; api: unknown }>
  invoked: Array<{ channel: string; args: unknown[] }>
  openedExternally: string[]
  applicationMenu: { template: unknown[] } | null
  openDialogAnswers: Array<{ canceled: boolean; filePaths: string[] }>
  messageBoxAnswers: number[]
  messageBoxes: Array<Record<string, unknown>>
  displays: Array<{ workArea: { x: number; y: number; width: number; height: number } }>
  paths: Record<string, string>
  packaged: boolean
  /** How `ipcRenderer.invoke` answers (default: `{ ok: true, result: { channel } }` at once). */
  invokeAnswer?: (channel: string, ...args: unknown[]) => Promise<unknown>
}

export const fake: FakeState = freshState()

function freshState(): FakeState {
  return {
    handlers: new Map(),
    exposed: [],
    invoked: [],
    openedExternally: [],
    applicationMenu: null,
    openDialogAnswers: [],
    messageBoxAnswers: [],
    messageBoxes: [],
    displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    paths: { userData: '/nonexistent-user-data' },
    packaged: false
  }
}

export function resetFake(): void {
  Object.assign(fake, freshState())
  BrowserWindow.all = []
  session.defaultSession = new FakeSession()
}

export const ipcMain = {
  handle(channel: string, listener: Listener): void {
    if (fake.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    fake.handlers.set(channel, listener)
  },
  removeHandler(channel: string): void {
    fake.handlers.delete(channel)
  }
}

/** Listeners the preload registered with `ipcRenderer.on`; `emitToRenderer` calls them as main would. */
const rendererListeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>()

export function emitToRenderer(channel: string, ...args: unknown[]): void {
  for (const listener of rendererListeners.get(channel) ?? []) listener({}, ...args)
}

export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    fake.invoked.push({ channel, args })
    return (fake.invokeAnswer ?? (() => Promise.resolve({ ok: true, result: { channel } })))(channel, ...args)
  },
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener])
  }
}

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    fake.exposed.push({ key, api })
  }
}

export const shell = {
  async openExternal(url: string): Promise<void> {
    fake.openedExternally.push(url)
  }
}

export const dialog = {
  async showOpenDialog(..._args: unknown[]) {
    return fake.openDialogAnswers.shift() ?? { canceled: true, filePaths: [] }
  },
  async showMessageBox(...args: unknown[]) {
    fake.messageBoxes.push(args[args.length - 1] as Record<string, unknown>)
    return { response: fake.messageBoxAnswers.shift() ?? 0, checkboxChecked: false }
  }
}

export const Menu = {
  buildFromTemplate(template: unknown[]) {
    return { template }
  },
  setApplicationMenu(menu: { template: unknown[] } | null): void {
    fake.applicationMenu = menu
  }
}

export const screen = {
  getAllDisplays() {
    return fake.displays
  }
}

export const session = { defaultSession: new FakeSession() }

export const app = {
  get isPackaged() {
    return fake.packaged
  },
  getPath(name: string): string {
    const path = fake.paths[name]
    if (!path) throw new Error(`fake electron: no path ${name}`)
    return path
  }
}

/** Builds the `event` Electron passes to an `ipcMain.handle` listener. */
export function invokeEvent(sender: FakeWebContents, frame: FakeFrame | null = sender.mainFrame) {
  return { sender, senderFrame: frame, processId: 1, frameId: 1 }
}

export default { app, BrowserWindow, contextBridge, dialog, ipcMain, ipcRenderer, Menu, screen, session, shell }
