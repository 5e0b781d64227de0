// The core's errors in a terminal's words.
import type { SandboxRef } from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import { parseReference } from '../core/homes/reference-key'

/**
 * The core's error in a terminal's words: a reference msb could never have stored is an invalid
 * reference rather than "not found" (msb says "not found" for both), and an image in use gets the
 * flag that removes it anyway.
 */
export function explained(error: unknown, only?: string): unknown {
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
    const said = only === undefined ? error.message : inUseMessage(error, only)
    return new CacheError(
      'ImageInUse',
      `${said}; use --force to remove the reference anyway (the sandbox keeps its data until it is gone)`,
      error.details
    )
  }
  return error
}

/** One reference's part of a refusal that names several ("a, b are in use by sandboxes x, y"). */
function inUseMessage(error: CacheError, reference: string): string {
  const images = (error.details as { images?: { reference: string; sandboxes: SandboxRef[] }[] } | undefined)?.images
  const sandboxes = images?.find((i) => i.reference === reference)?.sandboxes
  if (!sandboxes || images.length < 2) return error.message
  const by = sandboxes.map((s) => `${s.name} (${s.status})`).join(', ')
  return `${reference} is in use by ${sandboxes.length === 1 ? 'sandbox' : 'sandboxes'} ${by}`
}
