// The stand-in for the `electron` module in the main process (register.ts points the name here):
// the part of Electron's API the explorer's main process uses, backed by Debian's Chromium.
// What it proves and what only a real Electron can is written down in the README ("Desktop tests").
import { app } from './app'
import { BrowserWindow } from './browser-window'
import { dialog, screen, shell } from './dialogs'
import { ipcMain } from './ipc-main'
import { Menu, MenuItem } from './menu'
import { session } from './session'

export { app, BrowserWindow, dialog, ipcMain, Menu, MenuItem, screen, session, shell }
