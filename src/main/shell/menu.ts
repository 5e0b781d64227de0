// The application menu: the platform's standard roles, plus "Open microsandbox home…" and help
// links that go through the same vetting as links from the page (navigation-policy.ts).
import { Menu } from 'electron'
import type { MenuItemConstructorOptions } from 'electron'
import { openVettedLink } from './navigation-policy'
import type { OpenExternal } from './navigation-policy'

export interface MenuActions {
  openHome: () => void
  openExternal: OpenExternal
}

export const HELP_LINKS = [
  { label: 'microsandbox Documentation', url: 'https://docs.microsandbox.dev/' },
  { label: 'microsandbox on GitHub', url: 'https://github.com/superradcompany/microsandbox' }
] as const

export function menuTemplate(options: {
  platform: NodeJS.Platform
  packaged: boolean
  actions: MenuActions
}): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin'
  const { actions } = options
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open microsandbox home…', accelerator: 'CmdOrCtrl+O', click: () => actions.openHome() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' }
    ]
  }
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      // Developer tools only while developing: a packaged app has no use for them.
      ...(options.packaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' }
    ]
  }
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: HELP_LINKS.map((link) => ({
      label: link.label,
      click: () => void openVettedLink(link.url, actions.openExternal)
    }))
  }
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help
  ]
}

export function installMenu(options: Parameters<typeof menuTemplate>[0]): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options)))
}
