// `session.defaultSession`: the app's permission handlers and its response-header hook.
//
// Chromium gives Playwright no hook for a permission request, so the stand-in asks the app's
// handlers at every main-frame navigation, for each permission below, and applies the answer to
// the page's origin; the decisions are logged for the specs. `webRequest.onHeadersReceived` is
// applied to http(s) responses (file: responses are not interceptable, as the issue expects: the
// built page carries its CSP in a <meta> tag).
import type { Route } from 'playwright-core'
import { record } from './control'

type PermissionCheck = (contents: unknown, permission: string, origin: string, details: object) => boolean
type PermissionRequest = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: object
) => void
type HeadersListener = (
  details: { url: string; resourceType: string; statusCode: number; responseHeaders: Record<string, string[]> },
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string[]> }) => void
) => void

/** Electron permission name → the Playwright permission that grants the same thing. */
const PERMISSIONS: ReadonlyArray<[string, string]> = [
  ['clipboard-sanitized-write', 'clipboard-write'],
  ['clipboard-read', 'clipboard-read'],
  ['notifications', 'notifications'],
  ['geolocation', 'geolocation'],
  ['media', 'camera'],
  ['midi', 'midi']
]

export interface PermissionTarget {
  page:
    | {
        context(): {
          grantPermissions(p: string[], o?: { origin?: string }): Promise<void>
          clearPermissions(): Promise<void>
        }
      }
    | undefined
}

export class Session {
  private checkHandler: PermissionCheck | null = null
  private requestHandler: PermissionRequest | null = null
  private headersListener: HeadersListener | null = null
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener | null) => {
      this.headersListener = listener
    }
  }

  setPermissionCheckHandler(handler: PermissionCheck | null): void {
    this.checkHandler = handler
  }

  setPermissionRequestHandler(handler: PermissionRequest | null): void {
    this.requestHandler = handler
  }

  setDevicePermissionHandler(): void {}

  /** Asks the app, per permission, whether this page may have it; grants exactly the yeses. */
  applyPermissions(contents: PermissionTarget, url: string): void {
    const context = contents.page?.context()
    if (!context) return
    const granted: string[] = []
    for (const [electronName, playwrightName] of PERMISSIONS) {
      const details = { requestingUrl: url, isMainFrame: true, embeddingOrigin: url }
      let allowed = this.checkHandler ? this.checkHandler(contents, electronName, url, details) : true
      if (this.requestHandler) {
        let answer = false
        this.requestHandler(contents, electronName, (value) => (answer = value), details)
        allowed = allowed && answer
      }
      record({ kind: 'permission', permission: electronName, url, granted: allowed })
      if (allowed) granted.push(playwrightName)
    }
    const origin = /^https?:/.test(url) ? new URL(url).origin : undefined
    void context
      .clearPermissions()
      .then(() => (granted.length > 0 ? context.grantPermissions(granted, origin ? { origin } : {}) : undefined))
      .catch(() => undefined)
  }

  async handleResponse(route: Route): Promise<void> {
    const listener = this.headersListener
    if (!listener) return route.continue()
    const response = await route.fetch().catch(() => null)
    if (!response) return route.abort('failed')
    const responseHeaders: Record<string, string[]> = {}
    for (const { name, value } of response.headersArray()) (responseHeaders[name] ??= []).push(value)
    const request = route.request()
    await new Promise<void>((done) => {
      listener(
        { url: request.url(), resourceType: request.resourceType(), statusCode: response.status(), responseHeaders },
        (result) => {
          if (result.cancel) {
            void route.abort('blockedbyclient').finally(done)
            return
          }
          const headers: Record<string, string> = {}
          for (const [name, values] of Object.entries(result.responseHeaders ?? responseHeaders))
            headers[name] = values.join(', ')
          void route.fulfill({ response, headers }).finally(done)
        }
      )
    })
  }
}

const defaultSession = new Session()

export const session = {
  defaultSession,
  fromPartition: () => defaultSession
}
