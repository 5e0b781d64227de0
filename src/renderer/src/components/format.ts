// Human formats for bytes, digests and times. Sizes use SI units (1 MB = 1,000,000 bytes) like
// `docker images` and msb; the exact byte count is always one hover away.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'unknown'
  if (bytes < 1000) return `${bytes} B`
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${value.toFixed(digits)} ${UNITS[unit]}`
}

export function exactBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return 'unknown'
  return `${bytes.toLocaleString('en-US')} bytes`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

/** "sha256:0123456789ab…" → "0123456789ab" (12 hex digits, as docker shows image ids). */
export function shortDigest(digest: string): string {
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest
  return hex.slice(0, 12)
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

export function relativeTime(iso: string | null, now = Date.now()): string {
  if (!iso) return '—'
  const at = Date.parse(iso)
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

export function exactTime(iso: string | null): string {
  if (!iso) return 'not recorded'
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  return `${exact.format(at)} (${new Date(at).toISOString()})`
}
