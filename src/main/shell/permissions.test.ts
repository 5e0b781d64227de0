import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../../test-support/electron/fake-electron'))

import { applyContentSecurityPolicy } from './csp-header'
import { resetFake, session } from '../../../test-support/electron/fake-electron'
import { applyPermissionPolicy } from './permissions'

const OWN = 'file:///app/out/renderer/index.html#/'
const isOwnPage = (url: string) => url === OWN

beforeEach(() => resetFake())

function ask(permission: string, requestingUrl: string, isMainFrame = true) {
  const s = session.defaultSession
  applyPermissionPolicy(s as never, isOwnPage)
  const callback = vi.fn()
  s.permissionRequestHandler!({}, permission, callback, { requestingUrl, isMainFrame })
  return {
    request: callback.mock.calls[0][0] as boolean,
    check: s.permissionCheckHandler!({}, permission, 'file://', { requestingUrl, isMainFrame }) as boolean
  }
}

describe('applyPermissionPolicy', () => {
  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'unknown'])(
    'denies %s even to our own page',
    (permission) => {
      expect(ask(permission, OWN)).toEqual({ request: false, check: false })
    }
  )

  it('lets only our own top frame write to the clipboard', () => {
    expect(ask('clipboard-sanitized-write', OWN)).toEqual({ request: true, check: true })
    expect(ask('clipboard-sanitized-write', OWN, false)).toEqual({ request: false, check: false })
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toEqual({ request: false, check: false })
  })

  it('denies every device', () => {
    const s = session.defaultSession
    applyPermissionPolicy(s as never, isOwnPage)
    expect(s.devicePermissionHandler!({ deviceType: 'hid' })).toBe(false)
  })
})

describe('applyContentSecurityPolicy', () => {
  it('replaces any CSP a response carries with ours', () => {
    const s = session.defaultSession
    applyContentSecurityPolicy(s as never, "default-src 'self'")
    const callback = vi.fn()
    s.headersReceived!(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'x-other': ['1'] } },
      callback
    )
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'x-other': ['1'], 'Content-Security-Policy': ["default-src 'self'"] }
    })
  })
})
