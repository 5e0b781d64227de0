// The Electron main process: wiring only. Everything it wires lives in shell/ (window, policies,
// menu, IPC) and transport/ (the core in-process and in a worker); the core knows nothing of Electron.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, session, shell } from 'electron'
import { isAppUrl, rendererLocation } from './shell/app-location'
import { contentSecurityPolicy } from './shell/csp'
import { applyContentSecurityPolicy } from './shell/csp-header'
import { chooseHome, initialHome, loadSettings, settingsFile } from './shell/home-choice'
import { registerCacheHandlers } from './shell/ipc-handlers'
import { createMainWindow } from './shell/main-window'
import { installMenu } from './shell/menu'
import { closeBeforeQuit } from './shell/quit-cleanly'
import { applyPermissionPolicy } from './shell/permissions'
import { windowStateFile } from './shell/window-state'
import { defaultSizeStoreDir } from './core/files/size-store'
import { openCacheSession } from './transport/cache-session'
import type { CacheSession } from './transport/cache-session'

const here = dirname(fileURLToPath(import.meta.url))
const location = rendererLocation({
  devUrl: process.env.ELECTRON_RENDERER_URL,
  indexPath: join(here, '../renderer/index.html'),
  packaged: app.isPackaged
})
const openExternal = (url: string): Promise<void> => shell.openExternal(url)

let cache: CacheSession
let mainWindow: BrowserWindow | null = null

function openHome(home: string | undefined): CacheSession {
  // File sizes kept between sessions are shared with the `ice` command (the same store).
  return openCacheSession({ home, workerUrl: join(here, 'core-worker.js'), sizeStoreDir: defaultSizeStoreDir() })
}

async function switchHome(home: string): Promise<void> {
  const previous = cache
  cache = openHome(home)
  await previous.close()
  // The page re-reads everything from the new home; its state belonged to the old one.
  mainWindow?.webContents.reload()
}

function showWindow(): void {
  mainWindow = createMainWindow({
    location,
    preloadPath: join(here, '../preload/index.cjs'),
    stateFile: windowStateFile(app.getPath('userData')),
    devTools: !app.isPackaged
  })
  mainWindow.on('closed', () => (mainWindow = null))
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  void app.whenReady().then(() => {
    const settingsPath = settingsFile(app.getPath('userData'))
    cache = openHome(initialHome(loadSettings(settingsPath), process.env))

    applyPermissionPolicy(session.defaultSession, (url) => isAppUrl(url, location))
    applyContentSecurityPolicy(session.defaultSession, contentSecurityPolicy({ dev: location.kind === 'dev' }))
    registerCacheHandlers({ getApi: () => cache.api, location })
    installMenu({
      platform: process.platform,
      packaged: app.isPackaged,
      actions: {
        openExternal,
        openHome: () =>
          void chooseHome({ window: mainWindow, current: cache.home, settingsPath, open: switchHome }).catch(
            (error: unknown) =>
              dialog.showErrorBox(
                'Cannot open this microsandbox home',
                error instanceof Error ? error.message : String(error)
              )
          )
      }
    })
    showWindow()

    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) showWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Close both database connections (and the worker) before the process ends; quit-cleanly.ts says why
  // this ends with app.exit and a watchdog.
  closeBeforeQuit(app, () => cache?.close())
}
