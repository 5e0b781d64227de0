// The prune dialog's three rule inputs as typed, and the rules they mean. The inputs are free text, so
// a half-typed duration is normal: it is explained inline and no preview is asked for until it reads.
// Patterns are separated by white space (references and globs have none; a comma can be a glob's `{a,b}`).
import type { RetentionRules } from '../../../shared/contract'
import { parseDuration } from '../../../shared/retention'

export interface RulesDraft {
  unusedFor: string
  keepLast: string
  keep: string
}

export const EMPTY_RULES_DRAFT: RulesDraft = { unusedFor: '30d', keepLast: '', keep: '' }

export function rulesOf(draft: RulesDraft): { rules: RetentionRules } | { error: string } {
  const rules: RetentionRules = {}
  if (draft.unusedFor.trim()) {
    const parsed = parseDuration(draft.unusedFor)
    if ('error' in parsed) return { error: `Unused for: ${parsed.error}` }
    rules.unusedFor = draft.unusedFor.trim()
  }
  if (draft.keepLast.trim()) {
    if (!/^\d+$/.test(draft.keepLast.trim()) || Number(draft.keepLast) < 1) {
      return { error: 'Keep the last: give a whole number, 1 or more' }
    }
    rules.keepLast = Number(draft.keepLast)
  }
  const keep = draft.keep.split(/\s+/).filter(Boolean)
  if (keep.length > 0) rules.keep = keep
  if (rules.unusedFor === undefined && rules.keepLast === undefined && keep.length === 0) {
    return { error: 'Give at least one rule.' }
  }
  return { rules }
}
