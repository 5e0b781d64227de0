// The page's own human formats: exact byte counts, plurals and times. Sizes, counts and short digests
// come from src/shared/format.ts, so the window and the CLI say the same thing; the exact byte count
// is always one hover away.
import { formatCount } from '../../../../shared/format'

export { formatCount }

export function exactBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return 'unknown'
  return `${formatCount(bytes)} bytes`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** The remove dialog's question: "Remove alpine?", "Remove 10,000 images?". */
export function removeTitle(references: readonly string[]): string {
  return references.length === 1 ? `Remove ${references[0]}?` : `Remove ${plural(references.length, 'image')}?`
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.345],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY]
]

/** `iso` as "3 days ago"; `at` is `iso` already parsed (ms), to spare the parse in table cells. */
export function relativeTime(iso: string | null, now = Date.now(), at = iso ? Date.parse(iso) : Number.NaN): string {
  if (!iso) return '—'
  if (Number.isNaN(at)) return iso
  let value = (at - now) / 1000
  if (Math.abs(value) < 45) return 'just now'
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit)
    value /= size
  }
  return iso
}

const exact = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium'
})

export function exactTime(iso: string | null, at = iso ? Date.parse(iso) : Number.NaN): string {
  if (!iso) return 'not recorded'
  if (Number.isNaN(at)) return iso
  return `${exact.format(at)} (${new Date(at).toISOString()})`
}
