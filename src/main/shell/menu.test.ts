import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../../test-support/electron/fake-electron'))

import type { MenuItemConstructorOptions } from 'electron'
import { fake, resetFake } from '../../../test-support/electron/fake-electron'
import { HELP_LINKS, installMenu, menuTemplate } from './menu'
import { isAllowedExternalUrl } from './navigation-policy'

beforeEach(() => resetFake())

const actions = { openHome: vi.fn(), openExternal: async (url: string) => void fake.openedExternally.push(url) }

function items(menu: MenuItemConstructorOptions): MenuItemConstructorOptions[] {
  return menu.submenu as MenuItemConstructorOptions[]
}

describe('menuTemplate', () => {
  it('has the app menu on macOS only', () => {
    expect(menuTemplate({ platform: 'darwin', packaged: true, actions })[0]).toEqual({ role: 'appMenu' })
    expect(menuTemplate({ platform: 'linux', packaged: true, actions }).some((m) => m.role === 'appMenu')).toBe(false)
  })

  it('offers "Open microsandbox home…" in File, wired to the action', () => {
    const file = menuTemplate({ platform: 'linux', packaged: true, actions }).find((m) => m.label === 'File')!
    const open = items(file).find((i) => i.label === 'Open microsandbox home…')!
    ;(open.click as () => void)()
    expect(actions.openHome).toHaveBeenCalledOnce()
    expect(items(file).at(-1)).toEqual({ role: 'quit' })
  })

  it('has edit, window and help menus, and no developer tools when packaged', () => {
    const template = menuTemplate({ platform: 'win32', packaged: true, actions })
    expect(template.map((m) => m.role ?? m.label)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help'])
    const view = template.find((m) => m.label === 'View')!
    expect(items(view).some((i) => i.role === 'toggleDevTools')).toBe(false)
    const devView = menuTemplate({ platform: 'win32', packaged: false, actions }).find((m) => m.label === 'View')!
    expect(items(devView).some((i) => i.role === 'toggleDevTools')).toBe(true)
  })

  it('help links are vetted and open in the browser', () => {
    for (const link of HELP_LINKS) expect(isAllowedExternalUrl(link.url)).toBe(true)
    const help = menuTemplate({ platform: 'linux', packaged: true, actions }).find((m) => m.role === 'help')!
    for (const item of items(help)) (item.click as () => void)()
    expect(fake.openedExternally).toEqual(HELP_LINKS.map((l) => l.url))
  })

  it('installs the menu', () => {
    installMenu({ platform: 'linux', packaged: true, actions })
    expect(fake.applicationMenu?.template).toHaveLength(5)
  })
})
