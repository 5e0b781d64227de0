// The sender and navigation checks compare file paths, so every spelling of our index.html that a
// loader or Chromium may produce is ours, on every platform, and nothing else is.
import { format } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isAppUrl, rendererLocation } from './app-location'

/** The URL Electron's loadFile builds (lib/browser/api/web-contents.ts): the legacy url.format. */
const legacyLoadFileUrl = (path: string) => format({ protocol: 'file', slashes: true, pathname: path })

const AWKWARD_POSIX = [
  '/opt/Image Cache Explorer/out/renderer/index.html',
  '/home/ann/100% done/out/renderer/index.html',
  '/home/ann/apps [beta]/out/renderer/index.html',
  '/home/ann/a|b/out/renderer/index.html',
  '/home/ann/x%41y #2 ü/out/renderer/index.html'
]

describe('isAppUrl on POSIX', () => {
  it.each(AWKWARD_POSIX)('accepts every spelling of %s, and no sibling', (indexPath) => {
    const location = rendererLocation({ indexPath, packaged: true, platform: 'linux' })
    expect(isAppUrl(location.kind === 'file' ? location.indexUrl : '', location)).toBe(true)
    // What Chromium reports after canonicalising: brackets and pipes left as they are.
    const chromiumStyle =
      location.kind === 'file' ? location.indexUrl.replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%7C/g, '|') : ''
    expect(isAppUrl(chromiumStyle, location)).toBe(true)
    expect(isAppUrl(`${chromiumStyle}#/images/alpine`, location)).toBe(true)
    if (!indexPath.includes('%')) expect(isAppUrl(legacyLoadFileUrl(indexPath), location)).toBe(true)
    expect(isAppUrl(chromiumStyle.replace('index.html', 'other.html'), location)).toBe(false)
    expect(isAppUrl(chromiumStyle.replace('file:///', 'file://evil-host/'), location)).toBe(false)
  })

  it('is case-sensitive, and refuses an encoded slash', () => {
    const location = rendererLocation({
      indexPath: '/opt/App/out/renderer/index.html',
      packaged: true,
      platform: 'linux'
    })
    expect(isAppUrl('file:///opt/App/out/renderer/index.html', location)).toBe(true)
    expect(isAppUrl('file:///opt/app/out/renderer/index.html', location)).toBe(false)
    expect(isAppUrl('file:///opt/App/out%2Frenderer/index.html', location)).toBe(false)
    expect(isAppUrl('file:///opt/App/out/renderer/../renderer/index.html', location)).toBe(true)
  })
})

describe('isAppUrl on Windows', () => {
  const drive = rendererLocation({
    indexPath: 'C:\\Users\\Ann\\100% [beta] | x\\resources\\app.asar\\out\\renderer\\index.html',
    packaged: true,
    platform: 'win32'
  })
  const unc = rendererLocation({
    indexPath: '\\\\fileserver\\apps\\Image Cache Explorer\\out\\renderer\\index.html',
    packaged: true,
    platform: 'win32'
  })

  it('accepts a drive path in any case and spelling', () => {
    expect(isAppUrl(drive.kind === 'file' ? drive.indexUrl : '', drive)).toBe(true)
    expect(
      isAppUrl('file:///C:/Users/Ann/100%25%20[beta]%20|%20x/resources/app.asar/out/renderer/index.html', drive)
    ).toBe(true)
    expect(
      isAppUrl('file:///c:/users/ann/100%25%20%5BBETA%5D%20%7C%20X/RESOURCES/app.asar/out/renderer/INDEX.html#/', drive)
    ).toBe(true)
    expect(
      isAppUrl('file:///D:/Users/Ann/100%25%20[beta]%20|%20x/resources/app.asar/out/renderer/index.html', drive)
    ).toBe(false)
  })

  it('accepts a UNC install path, and not the same path on another server', () => {
    expect(isAppUrl(unc.kind === 'file' ? unc.indexUrl : '', unc)).toBe(true)
    expect(isAppUrl('file://fileserver/apps/Image%20Cache%20Explorer/out/renderer/index.html', unc)).toBe(true)
    expect(isAppUrl('file://FILESERVER/Apps/image%20cache%20explorer/out/renderer/index.html', unc)).toBe(true)
    expect(isAppUrl('file://otherserver/apps/Image%20Cache%20Explorer/out/renderer/index.html', unc)).toBe(false)
    expect(isAppUrl('file:///apps/Image%20Cache%20Explorer/out/renderer/index.html', unc)).toBe(false)
  })
})
