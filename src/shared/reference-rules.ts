// What makes a reference acceptable as an argument, declared once. The argument schemas apply it
// through zod (argument-schemas.ts); `ice rm`, whose arguments are only command-line strings and a
// flag, applies it directly, so a removal does not load zod (about 15 ms of a one-image `ice rm`).

const MAX_REFERENCE_LENGTH = 4096
const MAX_REFERENCES = 100_000

/** C0 control characters and DEL (what a terminal or a log line would misread). */
export const hasControlCharacter = (s: string): boolean =>
  [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)

/** Why a reference cannot be asked for, or null. */
export function referenceProblem(reference: string): string | null {
  if (reference.length === 0) return 'reference is empty'
  if (reference.length > MAX_REFERENCE_LENGTH) return 'reference is too long'
  if (hasControlCharacter(reference)) return 'reference contains control characters'
  return null
}

export interface ArgumentIssue {
  /** Inside the list: [] for the list itself, [i] for its i-th reference. */
  path: number[]
  message: string
}

/** The first problem of a list of references, or null. */
export function referencesIssue(references: readonly string[]): ArgumentIssue | null {
  if (references.length === 0) return { path: [], message: 'no reference given' }
  if (references.length > MAX_REFERENCES) return { path: [], message: `more than ${MAX_REFERENCES} references` }
  for (let i = 0; i < references.length; i++) {
    const problem = referenceProblem(references[i])
    if (problem) return { path: [i], message: problem }
  }
  return null
}
