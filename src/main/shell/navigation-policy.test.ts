import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../../test-support/electron/fake-electron'))

import { isAppUrl, rendererLocation } from './app-location'
import { BrowserWindow, fake, resetFake } from '../../../test-support/electron/fake-electron'
import type { FakeWebContents } from '../../../test-support/electron/fake-electron'
import { applyNavigationPolicy, isAllowedExternalUrl } from './navigation-policy'

const fileLocation = rendererLocation({
  indexPath: '/opt/Image Cache Explorer/out/renderer/index.html',
  packaged: true
})
const devLocation = rendererLocation({ devUrl: 'http://localhost:5173/', indexPath: '/x/index.html', packaged: false })
const ownIndex = 'file:///opt/Image%20Cache%20Explorer/out/renderer/index.html'

const HOSTILE = [
  'javascript:alert(1)',
  'file:///etc/passwd',
  'file:///opt/Image%20Cache%20Explorer/out/renderer/other.html',
  'file://evil-host/opt/Image%20Cache%20Explorer/out/renderer/index.html',
  'http://evil.example/',
  'https://evil.example/superradcompany/',
  'data:text/html,<script>alert(1)</script>',
  'blob:null/1234',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'not a url'
]

describe('isAppUrl', () => {
  it('accepts exactly the built index.html, with any fragment or query', () => {
    expect(isAppUrl(ownIndex, fileLocation)).toBe(true)
    expect(isAppUrl(`${ownIndex}#/images/alpine`, fileLocation)).toBe(true)
    expect(isAppUrl(`${ownIndex}?x=1`, fileLocation)).toBe(true)
  })

  it.each(HOSTILE)('refuses %s', (url) => {
    expect(isAppUrl(url, fileLocation)).toBe(false)
    expect(isAppUrl(url, devLocation)).toBe(false)
  })

  it('in development accepts only the dev server origin', () => {
    expect(isAppUrl('http://localhost:5173/src/main.tsx', devLocation)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', devLocation)).toBe(false)
    expect(isAppUrl('http://127.0.0.1:5173/', devLocation)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', devLocation)).toBe(false)
    expect(isAppUrl('http://user:pw@localhost:5173/', devLocation)).toBe(false)
    expect(isAppUrl(ownIndex, devLocation)).toBe(false)
  })

  it('ignores the dev server URL in a packaged app, and refuses a non-loopback one', () => {
    expect(rendererLocation({ devUrl: 'http://localhost:5173', indexPath: '/a/index.html', packaged: true }).kind).toBe(
      'file'
    )
    expect(() => rendererLocation({ devUrl: 'http://evil.example:5173', indexPath: '/a', packaged: false })).toThrow(
      /loopback/
    )
    expect(() => rendererLocation({ devUrl: 'file:///etc/passwd', indexPath: '/a', packaged: false })).toThrow()
  })
})

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://github.com/superradcompany/microsandbox',
    'https://github.com/superradcompany/microsandbox/issues/1',
    'https://docs.microsandbox.dev/sdk/overview'
  ])('allows the vetted link %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true)
  })

  it.each([
    ...HOSTILE,
    'http://github.com/superradcompany/microsandbox',
    'https://github.com/evil/repo',
    'https://github.com/superradcompanyevil/repo',
    'https://github.com.evil.example/superradcompany/',
    'https://evil.example/?https://github.com/superradcompany/',
    'https://user@github.com/superradcompany/microsandbox',
    'https://github.com:8443/superradcompany/microsandbox',
    'https://docs.microsandbox.dev.evil.example/'
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false)
  })
})

describe('applyNavigationPolicy', () => {
  let contents: FakeWebContents
  const openExternal = async (url: string) => void fake.openedExternally.push(url)

  beforeEach(() => {
    resetFake()
    contents = new BrowserWindow().webContents
    applyNavigationPolicy(contents as never, fileLocation, openExternal)
  })

  it.each(HOSTILE)('blocks navigation and redirects to %s and opens nothing', (url) => {
    expect(contents.fire('will-navigate', url)).toBe(true)
    expect(contents.fire('will-redirect', url)).toBe(true)
    expect(contents.fire('will-frame-navigate', url)).toBe(true)
    expect(fake.openedExternally).toEqual([])
  })

  it('lets the page navigate within itself', () => {
    expect(contents.fire('will-navigate', `${ownIndex}#/usage`)).toBe(false)
  })

  it('turns a vetted link into the browser instead of navigating', () => {
    expect(contents.fire('will-navigate', 'https://docs.microsandbox.dev/')).toBe(true)
    expect(fake.openedExternally).toEqual(['https://docs.microsandbox.dev/'])
  })

  it('denies every new window, opening only vetted links externally', () => {
    for (const url of [...HOSTILE, ownIndex]) expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' })
    expect(fake.openedExternally).toEqual([])
    expect(contents.windowOpenHandler!({ url: 'https://github.com/superradcompany/microsandbox' })).toEqual({
      action: 'deny'
    })
    expect(fake.openedExternally).toEqual(['https://github.com/superradcompany/microsandbox'])
  })

  it('refuses webviews', () => {
    expect(contents.fire('will-attach-webview', 'about:blank')).toBe(true)
  })
})
