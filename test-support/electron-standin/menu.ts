// `Menu`: the application menu is kept as built from the template, so a spec can pick an item the
// way a user does (by its labels, or by role) and its click runs with Electron's arguments. Roles
// the explorer uses that act on the app (quit, close, reload) do what Electron's do.
import { app } from './app'
import { BrowserWindow } from './browser-window'
import { onCommand, record } from './control'
import { electronEvent } from './event'

interface TemplateItem {
  label?: string
  role?: string
  type?: string
  accelerator?: string
  enabled?: boolean
  click?: (item: MenuItem, window: BrowserWindow | null, event: unknown) => void
  submenu?: TemplateItem[] | Menu
}

export class MenuItem {
  readonly label: string
  readonly role: string | undefined
  readonly type: string
  readonly accelerator: string | undefined
  readonly submenu: Menu | undefined
  readonly click: TemplateItem['click']

  constructor(options: TemplateItem) {
    this.role = options.role
    this.label = options.label ?? options.role ?? ''
    this.type = options.type ?? (options.submenu ? 'submenu' : 'normal')
    this.accelerator = options.accelerator
    this.click = options.click
    this.submenu =
      options.submenu instanceof Menu
        ? options.submenu
        : options.submenu
          ? Menu.buildFromTemplate(options.submenu)
          : undefined
  }
}

let applicationMenu: Menu | null = null

export class Menu {
  readonly items: MenuItem[] = []

  static buildFromTemplate(template: TemplateItem[]): Menu {
    const menu = new Menu()
    for (const item of template) menu.items.push(new MenuItem(item))
    return menu
  }

  static setApplicationMenu(menu: Menu | null): void {
    applicationMenu = menu
  }

  static getApplicationMenu(): Menu | null {
    return applicationMenu
  }

  popup(): void {}
}

function runRole(role: string, window: BrowserWindow | null): void {
  switch (role.toLowerCase()) {
    case 'quit':
      return app.quit()
    case 'close':
      return window?.close()
    case 'reload':
    case 'forcereload':
      return window?.webContents.reload()
    default:
      return undefined
  }
}

/** Finds an item by its path of labels (or roles) from the menu bar down, and clicks it. */
onCommand('clickMenu', (args) => {
  const path = args as string[]
  let items = applicationMenu?.items ?? []
  let found: MenuItem | undefined
  for (const name of path) {
    found = items.find((item) => item.label === name || item.role === name)
    if (!found) throw new Error(`no menu item ${JSON.stringify(name)} in ${JSON.stringify(items.map((i) => i.label))}`)
    items = found.submenu?.items ?? []
  }
  if (!found) throw new Error('an empty menu path')
  record({ kind: 'menu-click', label: path.join(' > ') })
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null
  if (found.click) found.click(found, window, electronEvent())
  else if (found.role) runRole(found.role, window)
})

onCommand('menu', () => {
  const describe = (menu: Menu | undefined): unknown =>
    menu?.items.map((item) => ({
      label: item.label,
      role: item.role,
      accelerator: item.accelerator,
      submenu: describe(item.submenu)
    }))
  return describe(applicationMenu ?? undefined) ?? null
})
