// msb stores times as naive UTC text, `YYYY-MM-DD HH:MM:SS[.fffffffff]` (sqlx writing chrono's
// NaiveDateTime). The contract carries ISO-8601 UTC strings with the stored precision kept, and the
// CLI prints chrono's `to_rfc3339()` so its JSON equals `msb image … --format json`.

const DB_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(?:Z|[+-]00:?00)?$/

/**
 * True for exactly the strings msb writes, `YYYY-MM-DD HH:MM:SS` plus an optional `.` and 1-9 digits
 * (no zone, no padding): the ones `DB_TIME` accepts with a space separator and nothing to trim.
 */
function isPlainDbTime(s: string): boolean {
  const n = s.length
  if (n !== 19 && (n < 21 || n > 29)) return false
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    const want = i === 4 || i === 7 ? 45 : i === 10 ? 32 : i === 13 || i === 16 ? 58 : i === 19 ? 46 : 0
    if (want !== 0 ? c !== want : c < 48 || c > 57) return false
  }
  return true
}

interface Parts {
  date: string
  time: string
  /** Nanoseconds, 0..999_999_999. */
  nanos: number
  fraction: string
}

function parts(text: string | null | undefined): Parts | null {
  if (typeof text !== 'string') return null
  const m = DB_TIME.exec(text.trim())
  if (!m) return null
  const fraction = m[3] ?? ''
  return { date: m[1], time: m[2], nanos: fraction ? Number(fraction.padEnd(9, '0')) : 0, fraction }
}

/** DB text → `2026-08-22T10:11:12.123456789Z` (stored digits kept); null if absent or unreadable. */
export function dbTimeToIso(text: string | null | undefined): string | null {
  // `list` converts two times per row (20,000 at 10,000 images): msb's own shape skips the regex.
  if (typeof text === 'string' && isPlainDbTime(text)) return `${text.slice(0, 10)}T${text.slice(11)}Z`
  const p = parts(text)
  if (!p) return null
  return `${p.date}T${p.time}${p.fraction ? `.${p.fraction}` : ''}Z`
}

/** chrono's `DateTime<Utc>::to_rfc3339()`: fraction of 0, 3, 6 or 9 digits (SecondsFormat::AutoSi). */
export function dbTimeToRfc3339(text: string | null | undefined): string | null {
  const p = parts(text)
  if (!p) return null
  let fraction = ''
  if (p.nanos !== 0) {
    const nine = String(p.nanos).padStart(9, '0')
    fraction = p.nanos % 1_000_000 === 0 ? nine.slice(0, 3) : p.nanos % 1000 === 0 ? nine.slice(0, 6) : nine
    fraction = `.${fraction}`
  }
  return `${p.date}T${p.time}${fraction}+00:00`
}

/** Now, in the shape msb writes (used for comparisons with msb's lease times). */
export function nowDbTime(date = new Date()): string {
  return date.toISOString().replace('T', ' ').replace('Z', '').concat('000000')
}
