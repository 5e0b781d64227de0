// The demo cache as the core sees it: a builder injected by the programs that offer it (so the core never
// loads the builder, OCI archives and `msb load`, itself), and the step from the open home to a new demo.
import { CacheError } from '../../shared/errors'

export interface DemoBuilder {
  /** False where msb's CLI is not installed (a packaged app). */
  isAvailable(): boolean
  /** Builds a demo cache in a new home and returns that home. */
  build(): Promise<string>
  /** Deletes a home `build` made (and nothing else: it refuses any other path). */
  discard(home: string): void
}

/**
 * Builds a demo for the Cache open at `home`. `demoOf` is where to go back (kept when a demo replaces a
 * demo); `replaced` is the earlier demo, of no use any more, for the caller to discard after moving.
 */
export async function buildDemo(
  demo: DemoBuilder | undefined,
  home: string,
  currentDemoOf: string | null
): Promise<{ home: string; demoOf: string; replaced: string | null }> {
  if (!demo?.isAvailable()) {
    throw new CacheError(
      'Unsupported',
      'building a demo cache needs the msb CLI from npm (@superradcompany/microsandbox-*); run npm install'
    )
  }
  const built = await demo.build()
  return { home: built, demoOf: currentDemoOf ?? home, replaced: currentDemoOf ? home : null }
}
