// Creates the explorer's window: hardened preferences, the navigation policy, remembered bounds,
// and the renderer loaded from the dev server or the built index.html.
import { BrowserWindow, screen, shell } from 'electron'
import type { RendererLocation } from './app-location'
import { applyNavigationPolicy } from './navigation-policy'
import { hardenedWebPreferences } from './web-preferences'
import { loadWindowState, MIN_SIZE, trackWindowState } from './window-state'

export interface MainWindowOptions {
  location: RendererLocation
  preloadPath: string
  stateFile: string
  devTools: boolean
  iconPath?: string
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const state = loadWindowState(
    options.stateFile,
    screen.getAllDisplays().map((display) => display.workArea)
  )
  const window = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Image Cache Explorer',
    show: false,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: hardenedWebPreferences({ preloadPath: options.preloadPath, devTools: options.devTools })
  })
  applyNavigationPolicy(window.webContents, options.location, (url) => shell.openExternal(url))
  trackWindowState(window, options.stateFile)
  // Shown once painted, so the user never sees a white flash.
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize()
    window.show()
  })
  // Not loadFile: its legacy url.format leaves `%` unescaped, so an install path such as
  // `/opt/a%41b/` would load `/opt/aAb/`. pathToFileURL names exactly the file (app-location.ts).
  void window.loadURL(options.location.kind === 'dev' ? options.location.url : options.location.indexUrl)
  return window
}
