// `app`: readiness, paths, the single-instance lock and the quit sequence, following Electron's
// browser.cc closely because the explorer's lifecycle code depends on its exact order:
//
//   quit()  → 'before-quit' (preventable) → every window gets 'close' (preventable) and 'closed'
//           → 'will-quit' (preventable) → 'quit' → the process ends
//   exit()  → windows destroyed without 'close', no 'will-quit', the process ends with the code
//
// Electron keeps its "quitting" flag set until the task that emitted 'will-quit' has finished, so a
// `quit()` from that handler or from a promise that settles in the same task is ignored
// (electron/electron#33643). The stand-in keeps that behaviour: code that relies on it hangs here too.
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { launchChromium } from './chromium'
import type { RunningChromium } from './chromium'
import { notify, onCommand, record, writeExitReport } from './control'
import { electronEvent } from './event'
import { SingleInstanceLock } from './single-instance'
import { onNewPage } from './web-contents'
import { allWindows, windowsBeforeShutdown } from './window-registry'

function userDataFromArgv(): string {
  const flag = process.argv.find((arg) => arg.startsWith('--user-data-dir='))
  if (flag) return resolve(flag.slice('--user-data-dir='.length))
  return mkdtempSync(join(tmpdir(), 'electron-standin-userdata-'))
}

/** Electron's app path: the folder of the package.json that the main script belongs to. */
function appPath(): string {
  let dir = dirname(resolve(process.argv[1] ?? '.'))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

class App extends EventEmitter {
  readonly isPackaged = false
  private readonly userData = userDataFromArgv()
  private readonly packageJson = JSON.parse(readFileSync(join(appPath(), 'package.json'), 'utf8')) as {
    name: string
    version: string
  }
  private chromium: RunningChromium | undefined
  private ready = false
  private quitting = false
  private exiting = false
  private shutDown = false
  private lock: SingleInstanceLock | undefined
  private readonly readyPromise: Promise<void>

  constructor() {
    super()
    mkdirSync(this.userData, { recursive: true })
    // Electron becomes ready after the main script's first turn, never during it.
    this.readyPromise = new Promise((resolveReady, rejectReady) => {
      setImmediate(() => {
        if (this.shutDown) return
        launchChromium(this.userData).then((chromium) => {
          this.chromium = chromium
          chromium.context.on('page', (page) => void onNewPage(page))
          this.ready = true
          notify({ cdpEndpoint: chromium.cdpEndpoint })
          this.emit('ready', electronEvent(), {})
          resolveReady()
        }, rejectReady)
      })
    })
    this.readyPromise.catch((error: unknown) => {
      console.error('electron stand-in: Chromium did not start:', error)
      process.exit(1)
    })
  }

  get browserContext() {
    if (!this.chromium) throw new Error('the app is not ready yet')
    return this.chromium.context
  }

  whenReady(): Promise<void> {
    return this.readyPromise
  }

  isReady(): boolean {
    return this.ready
  }

  getName(): string {
    return this.packageJson.name
  }

  getVersion(): string {
    return this.packageJson.version
  }

  getAppPath(): string {
    return appPath()
  }

  getPath(name: string): string {
    switch (name) {
      case 'userData':
      case 'sessionData':
        return this.userData
      case 'appData':
        return dirname(this.userData)
      case 'temp':
        return tmpdir()
      case 'home':
        return process.env.HOME ?? tmpdir()
      case 'exe':
        return process.execPath
      case 'logs':
        return join(this.userData, 'logs')
      default:
        throw new Error(`electron stand-in: app.getPath('${name}') is not part of the stand-in`)
    }
  }

  setAppUserModelId(): void {}

  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    this.lock ??= new SingleInstanceLock(this.userData, (argv, cwd, data) => {
      record({ kind: 'second-instance', argv })
      this.emit('second-instance', electronEvent(), argv, cwd, data)
    })
    return this.lock.acquire(additionalData)
  }

  hasSingleInstanceLock(): boolean {
    return this.lock?.held ?? false
  }

  releaseSingleInstanceLock(): void {
    this.lock?.release()
  }

  quit(): void {
    if (this.quitting) {
      record({ kind: 'quit-ignored', reason: 'already quitting' })
      return
    }
    const beforeQuit = electronEvent()
    this.emit('before-quit', beforeQuit)
    if (beforeQuit.defaultPrevented) return
    this.quitting = true
    const windows = allWindows()
    if (windows.length === 0) this.notifyAndShutdown()
    else for (const window of windows) window.close()
  }

  exit(code = 0): void {
    this.exiting = true
    const windows = allWindows()
    if (windows.length === 0) void this.shutdown(code)
    else for (const window of windows) window.destroy()
  }

  focus(): void {}

  /** Called by the window registry when the last window has gone. */
  onWindowAllClosed(): void {
    if (this.exiting) void this.shutdown(0)
    else if (this.quitting) this.notifyAndShutdown()
    else if (this.listenerCount('window-all-closed') > 0) this.emit('window-all-closed', electronEvent())
    else this.quit()
  }

  /** A window refused to close during quit: the quit is over. */
  onWindowCloseCancelled(): void {
    this.quitting = false
  }

  private notifyAndShutdown(): void {
    if (this.shutDown) return
    const willQuit = electronEvent()
    this.emit('will-quit', willQuit)
    record({ kind: 'will-quit', prevented: willQuit.defaultPrevented })
    if (willQuit.defaultPrevented) {
      // Reset only after this task (and its microtasks) has run, as Electron does (#33643).
      setImmediate(() => (this.quitting = false))
      return
    }
    void this.shutdown(0)
  }

  private async shutdown(code: number): Promise<void> {
    if (this.shutDown) return
    this.shutDown = true
    this.emit('quit', electronEvent(), code)
    await windowsBeforeShutdown()
    await this.lock?.flush()
    this.lock?.release()
    await this.chromium?.context.close().catch(() => undefined)
    writeExitReport(code)
    process.exit(code)
  }
}

export const app = new App()

onCommand('quit', () => app.quit())
// macOS: the user clicks the app's Dock icon.
onCommand('activate', () => app.emit('activate', electronEvent(), allWindows().length > 0))
