// Human formats for sizes and digests, shared by the CLI and the renderer so both say the same thing.
// Sizes use SI units (1 kB = 1000 bytes) like `docker images` and msb; exact byte counts are shown
// beside them where it matters (the renderer's tooltips, the CLI's --json).
import type { FileRow } from './contract'

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']

/** 999 → "999 B", 1500 → "1.50 kB", 12_345_678 → "12.3 MB"; null → "unknown". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'unknown'
  let value = Math.abs(bytes)
  const sign = bytes < 0 ? '-' : ''
  if (value < 1000) return `${sign}${value} B`
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`
}

/**
 * A whole number with its thousands grouped as en-US prints them: 12345 → "12,345". By hand, because
 * creating an Intl.NumberFormat costs ~17 ms in a new Node process, a tenth of a one-image `ice rm`.
 */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** "sha256:0123456789ab…" → "0123456789ab" (12 hex digits, as docker shows image ids); null → "". */
export function shortDigest(digest: string | null): string {
  if (!digest) return ''
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest
  return hex.slice(0, 12)
}

const TYPE_CHAR: Record<FileRow['type'], string> = {
  file: '-',
  dir: 'd',
  symlink: 'l',
  char: 'c',
  block: 'b',
  fifo: 'p',
  socket: 's'
}

/** `ls -l`'s mode column (`drwxr-xr-x`), shared by the CLI's file listing and the window's tree. */
export function modeString(row: Pick<FileRow, 'type' | 'mode'>): string {
  const bits = 'rwxrwxrwx'
  let s = TYPE_CHAR[row.type]
  for (let i = 0; i < 9; i++) s += row.mode & (1 << (8 - i)) ? bits[i] : '-'
  return s
}
