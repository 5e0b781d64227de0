// Retention rules for prune, the parts every side shares: the duration grammar (`30d`, `12h`, `2w`,
// also combined as `1w3d`), the limits the edges validate, and the words that explain why a rule chose
// or kept a reference, so the CLI, the JSON plan and the window say the same thing.

import { compileGlob, GlobError } from './glob'

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const
const DURATION = /^(?:\d+[hdw])+$/
const PART = /(\d+)([hdw])/g
/** Ten years: anything longer is almost certainly a typo, and keeps the arithmetic exact. */
export const MAX_DURATION_MS = 3650 * UNIT_MS.d
export const MAX_KEEP_LAST = 100_000
export const MAX_KEEP_PATTERNS = 100

/** Why a `--keep` pattern cannot be used (malformed, or too complex to match in bounded time), or null. */
export function keepPatternProblem(pattern: string): string | null {
  try {
    compileGlob(pattern)
    return null
  } catch (error) {
    if (!(error instanceof GlobError)) throw error
    return error.tooComplex
      ? `keep pattern "${pattern}" is too complex: ${error.message}; split it into simpler patterns`
      : `keep pattern "${pattern}" does not parse: ${error.message}`
  }
}

/** `30d` → 2_592_000_000; a message saying what is wrong when the text is not a duration. */
export function parseDuration(text: string): { ms: number } | { error: string } {
  const t = text.trim()
  if (!DURATION.test(t)) {
    return {
      error: `"${text}" is not a duration; use a number and a unit h (hours), d (days) or w (weeks), e.g. 30d, 12h, 2w`
    }
  }
  let ms = 0
  for (const [, n, unit] of t.matchAll(PART)) ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS]
  if (ms <= 0) return { error: `"${text}" is zero; give a duration longer than nothing` }
  if (ms > MAX_DURATION_MS) return { error: `"${text}" is longer than ten years` }
  return { ms }
}

/** 1 → "1st", 2 → "2nd", 13 → "13th", 22 → "22nd". */
export function ordinal(n: number): string {
  const tens = n % 100
  const ones = n % 10
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ones === 1 ? 'st' : ones === 2 ? 'nd' : ones === 3 ? 'rd' : 'th'
  return `${n}${suffix}`
}

/** How long since a last use, in whole hours under two days, else whole days: "13 hours", "41 days". */
export function formatIdle(ms: number): string {
  const hours = Math.floor(ms / UNIT_MS.h)
  if (hours < 1) return 'under an hour'
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`
  return `${Math.floor(ms / UNIT_MS.d)} days`
}

/** "unused for 41 days": why unused-for chose a reference. */
export function describeIdle(ms: number): string {
  return `unused for ${formatIdle(ms)}`
}

export function describeRank(rank: number, repository: string): string {
  return rank === 1 ? `most recent of ${repository}` : `${ordinal(rank)} most recent of ${repository}`
}
