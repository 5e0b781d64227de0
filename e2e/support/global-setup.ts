// Before the specs: the renderer alone for the serve project (its own folder, see build-renderer.ts),
// and the real desktop build (`electron-vite build`: out/main, out/preload, out/renderer) that the
// desktop project runs on the Electron stand-in. `npm test` builds both earlier, beside the unit tests
// (e2e/support/prebuild.ts), and says so with ICE_E2E_BUILT=1: then there is nothing left to do here.
import { buildForE2e } from './build-for-e2e'

export default async function globalSetup(): Promise<void> {
  if (process.env.ICE_E2E_BUILT === '1') return
  await buildForE2e()
}
