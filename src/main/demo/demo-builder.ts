// The demo as the core sees it (CacheOptions.demo): whether it can be built here, and building it. The
// builder (OCI archives, `msb load`) is loaded on first use only, so programs that never build a demo
// never load it.
import type { DemoBuilder } from '../core/cache'
import { isMsbAvailable } from './msb'

export const demoBuilder: DemoBuilder = {
  isAvailable: isMsbAvailable,
  build: async () => (await import('./demo-cache')).buildDemoCache()
}
