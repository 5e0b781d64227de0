// The demo as the core sees it (CacheOptions.demo): whether it can be built here, and building it. The
// builder (OCI archives, `msb load`) is loaded on first use only, so programs that never build a demo
// never load it.
import type { DemoBuilder } from '../core/demo-switch'
import { discardDemoHome } from './demo-home'
import { newestMsb } from './msb'

export const demoBuilder: DemoBuilder = {
  // The demo builds with the newest msb installed (demo-cache.ts).
  isAvailable: () => newestMsb() !== null,
  build: async () => (await import('./demo-cache')).buildDemoCache(),
  discard: (home) => discardDemoHome(home)
}
