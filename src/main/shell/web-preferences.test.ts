import { describe, expect, it } from 'vitest'
import { hardenedWebPreferences } from './web-preferences'

describe('hardenedWebPreferences', () => {
  const prefs = hardenedWebPreferences({ preloadPath: '/app/out/preload/index.cjs', devTools: false })

  it('isolates and sandboxes the page, with no Node in any of its contexts', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false
    })
  })

  it('uses the given preload and devTools setting, and enables no blink features', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
    expect(prefs.devTools).toBe(false)
    expect(prefs.enableBlinkFeatures).toBeUndefined()
    expect(hardenedWebPreferences({ preloadPath: 'p', devTools: true }).devTools).toBe(true)
  })
})
