// Adds the CSP to every response the session receives (dev server pages, and any http response).
// file:// pages get the same policy from the <meta> tag the build injects (electron.vite.config.ts).
import type { Session } from 'electron'

export function applyContentSecurityPolicy(session: Session, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders }
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name]
    }
    headers['Content-Security-Policy'] = [policy]
    callback({ responseHeaders: headers })
  })
}
