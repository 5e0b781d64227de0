// The disk-usage view and a prune preview as CSV, the same from the CLI (`df --csv`,
// `prune --dry-run --csv`) and from the window's save button. RFC 4180 quoting (comma, quote, CR, LF)
// is a dozen lines, so no library; text cells that a spreadsheet would run as a formula (starting with
// = + - @ or a tab) get a leading apostrophe, as OWASP advises for CSV exports.
import type { CacheUsage, DeletionPlan, KeptImage, RuleChoice } from './contract'

type Cell = string | number | null

function cell(value: Cell): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(headers: string[], rows: Cell[][]): string {
  return [headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

/** One row per reference: what it costs on disk and what holds it. */
export function usageCsv(usage: CacheUsage): string {
  return toCsv(
    ['reference', 'manifest_digest', 'unique_bytes', 'shared_bytes', 'sandboxes', 'snapshots', 'aliases'],
    usage.images.map((u) => [
      u.reference,
      u.manifestDigest,
      u.uniqueBytes,
      u.sharedBytes,
      u.sandboxes.map((s) => s.name).join('; '),
      u.snapshots.join('; '),
      u.aliases.join('; ')
    ])
  )
}

const KEPT_WHY: Record<KeptImage['reason'], string> = {
  sandbox: 'used by a sandbox',
  snapshot: 'pinned by a snapshot',
  alias: 'another reference still points at its manifest',
  'not-selected': 'not selected',
  rule: 'kept by the rules'
}

/** Why a plan keeps something, in words: the rules' own phrases, or the pin and who holds it. */
export function keptWhy(k: KeptImage): string {
  if (k.reason === 'rule' && k.why?.length) return k.why.join('; ')
  const by = [...k.sandboxes.map((s) => `${s.name} (${s.status})`), ...k.snapshots]
  return by.length ? `${KEPT_WHY[k.reason]}: ${by.join(', ')}` : KEPT_WHY[k.reason]
}

/**
 * One row per thing the plan deletes or keeps: `delete` rows for references, manifests, layers and
 * files (the bytes column sums to the plan's total), then `keep` rows with why.
 */
export function planCsv(plan: DeletionPlan & { chosen?: RuleChoice[] }): string {
  const why = new Map((plan.chosen ?? []).map((c) => [c.reference, c.why.join('; ')]))
  const rows: Cell[][] = [
    ...plan.references.map((r): Cell[] => ['delete', 'reference', r, null, why.get(r) ?? null]),
    ...plan.manifests.map((m): Cell[] => ['delete', 'manifest', m, null, null]),
    ...plan.layers.map((l): Cell[] => ['delete', 'layer', l, null, null]),
    ...plan.files.map((f): Cell[] => ['delete', `file:${f.kind}`, f.path, f.bytes, null]),
    ...plan.kept.map((k): Cell[] => ['keep', 'reference', k.reference || k.manifestDigest, null, keptWhy(k)])
  ]
  return toCsv(['action', 'kind', 'item', 'bytes', 'why'], rows)
}
