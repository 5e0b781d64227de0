// The page may never leave itself: no navigation, no new windows, no webviews.
//
// Links the page wants to show (docs, the project on GitHub) open in the user's browser, and only
// when they are https to a vetted host and path; anything else (javascript:, file:, data:, http:,
// other hosts) is dropped silently.
import type { WebContents } from 'electron'
import { isAppUrl } from './app-location'
import type { RendererLocation } from './app-location'

interface AllowedLink {
  host: string
  /** The path must start with this (segment-aligned: end it with a slash). */
  pathPrefix: string
}

export const EXTERNAL_LINKS: readonly AllowedLink[] = [
  { host: 'github.com', pathPrefix: '/superradcompany/' },
  { host: 'docs.microsandbox.dev', pathPrefix: '/' },
  { host: 'microsandbox.dev', pathPrefix: '/' }
]

export function isAllowedExternalUrl(candidate: string): boolean {
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return false
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.username || url.password) return false
  return EXTERNAL_LINKS.some((link) => url.hostname === link.host && url.pathname.startsWith(link.pathPrefix))
}

export type OpenExternal = (url: string) => Promise<void>

/** Opens a vetted link in the browser; returns whether it was allowed. */
export function openVettedLink(url: string, openExternal: OpenExternal): boolean {
  if (!isAllowedExternalUrl(url)) return false
  openExternal(url).catch(() => undefined)
  return true
}

export function applyNavigationPolicy(
  contents: WebContents,
  location: RendererLocation,
  openExternal: OpenExternal
): void {
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url, location)) return
    event.preventDefault()
    openVettedLink(url, openExternal)
  }
  contents.on('will-navigate', (event, url) => guard(event, url))
  contents.on('will-redirect', (event, url) => guard(event, url))
  // Subframes get no other way out either (the page has none; a compromised one might try).
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, location)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openVettedLink(url, openExternal)
    return { action: 'deny' }
  })
}
