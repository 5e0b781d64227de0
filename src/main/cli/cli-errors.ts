// The core's errors in a terminal's words.
import { CacheError } from '../../shared/errors'
import { parseReference } from '../core/reference-key'

/**
 * The core's error in a terminal's words: a reference msb could never have stored is an invalid
 * reference rather than "not found" (msb says "not found" for both), and an image in use gets the
 * flag that removes it anyway.
 */
export function explained(error: unknown): unknown {
  if (!(error instanceof CacheError)) return error
  const reference = (error.details as { reference?: unknown } | undefined)?.reference
  if (error.code === 'ImageNotFound' && typeof reference === 'string' && parseReference(reference) === null) {
    return new CacheError(
      'InvalidArgument',
      `invalid reference: ${JSON.stringify(reference)} is not an image name (name[:tag][@digest], lower-case name)`,
      { reference }
    )
  }
  if (error.code === 'ImageInUse') {
    return new CacheError(
      'ImageInUse',
      `${error.message}; use --force to remove the reference anyway (the sandbox keeps its data until it is gone)`,
      error.details
    )
  }
  return error
}
