// Before the specs: the renderer alone for the serve project (its own folder, see build-renderer.ts),
// and the real desktop build (`electron-vite build`: out/main, out/preload, out/renderer) that the
// desktop project runs on the Electron stand-in. `npm test` builds both earlier, beside the unit tests
// (e2e/support/prebuild.ts), and says so with ICE_E2E_BUILT=1: then there is nothing left to build here.
// Every run also gets a folder for its scenario templates, which the workers inherit through the
// environment: each fixture cache is built by msb once per run and copied for every test.
import templatesSetup from '../../test-support/templates-setup'
import { buildForE2e } from './build-for-e2e'

export default async function globalSetup(): Promise<() => void> {
  const removeTemplates = templatesSetup()
  if (process.env.ICE_E2E_BUILT !== '1') await buildForE2e()
  return removeTemplates
}
