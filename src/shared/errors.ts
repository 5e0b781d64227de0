// Errors cross every boundary (IPC, HTTP, CLI) as plain data `{ code, message, details }` and are
// rebuilt into a `CacheError` on the other side, so callers can branch on `code` and never on text.

export const ERROR_CODES = [
  'ImageNotFound',
  'ImageInUse',
  'Unsupported',
  'SchemaUnsupported',
  'Busy',
  'InvalidArgument',
  /** The caller may not call at all (an untrusted frame, a missing token, a foreign origin, the wrong method). */
  'Forbidden',
  'Internal'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface SerializedError {
  code: ErrorCode
  message: string
  details?: unknown
}

export class CacheError extends Error {
  readonly code: ErrorCode
  readonly details: unknown

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'CacheError'
    this.code = code
    this.details = details
  }

  toJSON(): SerializedError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** Any thrown value as data; unknown failures become `Internal` with their message kept. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof CacheError) return error.toJSON()
  if (isSerializedError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'Internal', message }
}

export function deserializeError(data: SerializedError): CacheError {
  return new CacheError(data.code, data.message, data.details)
}

export function isSerializedError(value: unknown): value is SerializedError {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(v.code)
}

/** An operation's arguments failed validation: the message names the first problem, the details all of them. */
export function invalidArguments(operation: string, issues: { path: string[]; message: string }[]): CacheError {
  const first = issues[0]
  const where = first?.path.length ? `${first.path.join('.')}: ` : ''
  return new CacheError(
    'InvalidArgument',
    `invalid arguments for ${operation}: ${where}${first?.message ?? 'malformed'}`,
    {
      issues
    }
  )
}
