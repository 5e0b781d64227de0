// Turns whatever a call threw into one line a person can act on, keeping the contract's error code.
import { CacheError } from '../../../shared/errors'

export function describeError(error: unknown): string {
  if (error instanceof CacheError) {
    switch (error.code) {
      case 'Busy':
        return `The cache is busy (${error.message}). Try again in a moment.`
      case 'SchemaUnsupported':
        return `This cache was written by a newer msb; the explorer opened it read-only. ${error.message}`
      default:
        return error.message
    }
  }
  return error instanceof Error ? error.message : String(error)
}

export function errorCode(error: unknown): string | null {
  return error instanceof CacheError ? error.code : null
}
