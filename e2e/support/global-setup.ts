// Builds the renderer once before the browser specs (each spec then serves it from its own server).
import { buildRenderer } from './build-renderer'

export default async function globalSetup(): Promise<void> {
  await buildRenderer()
}
