// A failure the core did not expect (a bug, not a CacheError) crosses the wire as `Internal` with its
// message only: the caller needs no stack, but whoever fixes the bug does. So the main side logs the
// stack where the error happened, before it is turned into data.
import { CacheError } from '../../shared/errors'

export function logUnexpected(error: unknown, where: string): void {
  if (error instanceof CacheError) return
  console.error(`[${where}] unexpected error:`, error instanceof Error ? (error.stack ?? error.message) : error)
}
