// The explorer needs no browser permission (camera, notifications, clipboard read, HID, …), so every
// request and every check is denied, whichever page asks, with one exception: our own page, in its
// top frame, may write text to the clipboard (the "copy digest" buttons use navigator.clipboard).
import type { Session } from 'electron'

/** The only permission granted, and only to our own page. Reading the clipboard stays denied. */
export const OWN_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

export function applyPermissionPolicy(session: Session, isOwnPage: (url: string) => boolean): void {
  const allowed = (permission: string, url: string | undefined, isMainFrame: boolean): boolean =>
    OWN_PAGE_PERMISSIONS.has(permission) && isMainFrame && typeof url === 'string' && isOwnPage(url)
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl, details.isMainFrame))
  )
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    allowed(permission, details.requestingUrl, details.isMainFrame)
  )
  session.setDevicePermissionHandler(() => false)
}
