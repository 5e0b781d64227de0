// Readable output for people at a terminal: aligned tables and human sizes.
import type {
  CacheStatus,
  CacheUsage,
  DelegatedOutcome,
  DeletionPlan,
  ImageHandle,
  ImageInsight,
  ImageUsage,
  PruneResult,
  RemoveResult,
  RuleChoice
} from '../../shared/contract'
import { formatBytes, formatCount, shortDigest } from '../../shared/format'
import { describeSchema } from '../../shared/msb-versions'
import { escapeField } from './terminal-text'

/** "1 reference", "9,897 references": counts read the same in every command. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

export function table(headers: string[], cells: string[][]): string {
  // A cell is one line: a line break in a name must not print a row that is not there.
  const rows = cells.map((r) => r.map(escapeField))
  // Loops, not a spread of every row per column: `ice ls` makes a table of 10,000 rows.
  const widths = headers.map((h) => h.length)
  for (const r of rows) {
    for (let i = 0; i < widths.length; i++) {
      const n = r[i]?.length ?? 0
      if (n > widths[i]) widths[i] = n
    }
  }
  const line = (cells: string[]) => {
    let text = ''
    const last = cells.length - 1
    for (let i = 0; i < last; i++) text += `${cells[i].padEnd(widths[i])}  `
    return (last >= 0 ? text + cells[last] : text).trimEnd()
  }
  const lines = [line(headers)]
  for (const r of rows) lines.push(line(r))
  return lines.join('\n')
}

/** Keeps both ends of a long reference (registry and tag) readable in a table. */
function elide(text: string, max: number): string {
  if (text.length <= max) return text
  const half = Math.floor((max - 1) / 2)
  return `${text.slice(0, half)}…${text.slice(text.length - (max - 1 - half))}`
}

export function localTime(iso: string | null): string {
  if (!iso) return '-'
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function describeImages(images: ImageHandle[], usages: ImageUsage[]): string {
  // Both lists come in list order (Cache.listing reads them together): a reference is looked up by
  // name only where they would not line up.
  let byRef: Map<string, ImageUsage> | null = null
  const usageAt = (img: ImageHandle, i: number) => {
    const u = usages[i]
    if (u?.reference === img.reference) return u
    byRef ??= new Map(usages.map((x) => [x.reference, x]))
    return byRef.get(img.reference)
  }
  return table(
    ['REFERENCE', 'DIGEST', 'SIZE', 'UNIQUE', 'SHARED', 'LAYERS', 'PLATFORM', 'CREATED', 'IN USE BY'],
    images.map((img, i) => {
      const u = usageAt(img, i)
      return [
        elide(img.reference, 64),
        shortDigest(img.manifestDigest),
        formatBytes(img.sizeBytes),
        formatBytes(u?.uniqueBytes ?? null),
        formatBytes(u?.sharedBytes ?? null),
        String(img.layerCount),
        img.os && img.architecture ? `${img.os}/${img.architecture}` : '-',
        localTime(img.createdAt),
        inUseBy(u)
      ]
    })
  )
}

function inUseBy(u: ImageUsage | undefined): string {
  // Most images are neither damaged nor in use: no lists built for those.
  if (!u || (u.missingFiles.length === 0 && u.sandboxes.length === 0)) return ''
  return [u.missingFiles.length ? 'DAMAGED' : '', ...u.sandboxes.map((s) => s.name)].filter(Boolean).join(', ')
}

export function describeInspect(insight: ImageInsight): string {
  const { detail, usage } = insight
  const h = detail.handle
  const c = detail.config
  const show = (v: unknown) => (v === null || v === undefined ? '(not set)' : JSON.stringify(v))
  const lines = [
    `Reference:    ${h.reference}`,
    `Digest:       ${h.manifestDigest ?? '-'}`,
    `Platform:     ${h.os ?? '-'}/${h.architecture ?? '-'}`,
    `Size:         ${formatBytes(h.sizeBytes)} compressed; on disk ${formatBytes(usage.uniqueBytes)} unique + ${formatBytes(usage.sharedBytes)} shared`,
    `Pulled:       ${localTime(h.createdAt)}`,
    `Last used:    ${localTime(h.lastUsedAt)}`,
    `In use by:    ${usage.sandboxes.map((s) => `${s.name} (${s.status})`).join(', ') || '-'}`,
    `Aliases:      ${usage.aliases.join(', ') || '-'}`,
    ...(usage.missingFiles.length
      ? [`Damaged:      missing ${usage.missingFiles.join(', ')}; msb cannot start it: remove it (and pull it again)`]
      : []),
    '',
    'Config:',
    ...(c
      ? [
          `  Env:        ${c.env.length ? '' : '(empty)'}`,
          ...c.env.map((e) => `    ${e}`),
          `  Cmd:        ${show(c.cmd)}`,
          `  Entrypoint: ${show(c.entrypoint)}`,
          `  WorkingDir: ${show(c.workingDir)}`,
          `  User:       ${show(c.user)}`,
          `  Labels:     ${show(c.labels)}`,
          `  StopSignal: ${show(c.stopSignal)}`
        ]
      : ['  (none recorded)']),
    '',
    'Layers (top first; position 0 is the bottom):'
  ]
  const rows = [...insight.layers].reverse().map((l) => {
    const d = detail.layers.find((x) => x.diffId === l.diffId)
    return [
      String(l.position),
      shortDigest(l.diffId),
      formatBytes(d?.compressedSizeBytes ?? null),
      formatBytes(l.fileBytes),
      l.sharedWith.length ? `shared with ${l.sharedWith.length}` : 'unique'
    ]
  })
  return `${lines.join('\n')}\n${table(['POS', 'DIFF ID', 'COMPRESSED', 'EROFS', 'SHARING'], rows)}`
}

/** Files msb's deletion journals hold (msb 0.7.7+), when there are any. */
function deletingLine(usage: CacheUsage): string[] {
  const t = usage.totals.find((k) => k.kind === 'deleting')
  if (!t || t.files === 0) return []
  return [
    `Being deleted by msb:     ${formatBytes(t.bytes)} (${t.files} files in its deletion journals; its or the explorer's next rm or prune finishes them)`
  ]
}

export function describeUsage(usage: CacheUsage, status: CacheStatus): string {
  const kinds = table(
    ['KIND', 'FILES', 'SIZE'],
    usage.totals.map((t) => [t.kind, formatCount(t.files), formatBytes(t.bytes)])
  )
  const top = [...usage.images].sort((a, b) => b.uniqueBytes - a.uniqueBytes).slice(0, 10)
  const images = table(
    ['REFERENCE', 'UNIQUE', 'SHARED', 'IN USE BY'],
    top.map((u) => [
      u.reference,
      formatBytes(u.uniqueBytes),
      formatBytes(u.sharedBytes),
      u.sandboxes.map((s) => s.name).join(', ')
    ])
  )
  return [
    `Home:     ${status.home}`,
    `Database: ${status.dbPath}`,
    `Cache:    ${status.cacheDir} (${describeSchema(status.schema)})`,
    `${count(status.imageCount, 'reference')}, ${count(status.manifestCount, 'manifest')}, ${count(status.layerCount, 'layer')}; ${formatBytes(usage.totalBytes)} on disk`,
    '',
    kinds,
    '',
    `Shared layers:            ${formatBytes(usage.sharedLayerBytes)}`,
    `Prune would reclaim:      ${formatBytes(usage.reclaimableBytes)} (all unused images)`,
    `Dangling data:            ${formatBytes(usage.danglingBytes)}`,
    `Unused flat rootfs:       ${formatBytes(usage.flatUnusedAllocatedBytes)} on disk (prune --flat)`,
    ...usage.held.map(
      (h) =>
        `Held by ${[...h.sandboxes.map((s) => `sandbox ${s.name}`), ...h.snapshots.map((n) => `snapshot ${n}`)].join(', ')}: ` +
        `${formatBytes(h.bytes)} of image ${h.manifestDigest.slice(0, 19)} (no reference left; freed when they go)`
    ),
    ...deletingLine(usage),
    ...(status.writesThrough
      ? [
          `Changes go through:       msb ${status.writesThrough.version ?? '?'} (${status.writesThrough.path}); this explorer does not know the home's schema`
        ]
      : []),
    '',
    top.length ? `Largest images by unique bytes:\n${images}` : usage.held.length ? 'No references.' : 'No images.',
    '',
    `The whole home: ${formatBytes(usage.home.logicalBytes)} in files (${formatBytes(usage.home.allocatedBytes)} on disk)`,
    table(
      ['AREA', 'SIZE', 'ON DISK', 'FREED BY'],
      usage.home.areas
        .filter((a) => a.files > 0)
        .map((a) => [
          a.name,
          formatBytes(a.logicalBytes),
          formatBytes(a.allocatedBytes),
          a.freedBy ?? (a.kind === 'flat' ? 'ice prune --flat' : a.kind === 'image-cache' ? 'ice rm, ice prune' : '—')
        ])
    )
  ].join('\n')
}

export function describePlan(plan: DeletionPlan & { chosen?: RuleChoice[] }, verb: 'remove' | 'prune'): string {
  const lines = [
    `Would ${verb}: ${count(plan.references.length, 'reference')}, ${count(plan.manifests.length, 'manifest')}, ${count(plan.layers.length, 'layer')}, ${count(plan.files.length, 'file')} (${formatBytes(plan.totalBytes)})`
  ]
  const why = new Map((plan.chosen ?? []).map((c) => [c.reference, c.why.join('; ')]))
  for (const r of plan.references) lines.push(`  reference ${r}${why.has(r) ? `  (${why.get(r)})` : ''}`)
  for (const m of plan.manifests) lines.push(`  manifest  ${m}`)
  for (const f of plan.files) lines.push(`  file      ${f.path}  ${formatBytes(f.bytes)}`)
  if (plan.keptFiles.length) {
    const bytes = plan.keptFiles.reduce((n, f) => n + f.bytes, 0)
    lines.push(`Kept files: ${formatCount(plan.keptFiles.length)} (${formatBytes(bytes)})`)
    for (const f of plan.keptFiles) lines.push(`  file      ${f.path}  ${formatBytes(f.bytes)}  ${f.reason}`)
  }
  for (const n of plan.notes) lines.push(`Note: ${n}`)
  if (plan.kept.length) {
    lines.push('Kept:')
    for (const k of plan.kept) {
      const by = [
        ...k.sandboxes.map((s) => `sandbox ${s.name} (${s.status})`),
        ...k.snapshots.map((s) => `snapshot ${s}`)
      ]
      const detail = k.reason === 'rule' && k.why?.length ? k.why : by
      lines.push(`  ${k.reference || k.manifestDigest}: ${k.reason}${detail.length ? ` — ${detail.join(', ')}` : ''}`)
    }
  }
  return `${lines.join('\n')}\n`
}

/** A write msb did on a home the explorer does not know: the command, then the preview beside what msb did. */
export function describeDelegated(d: DelegatedOutcome): string {
  const row = (label: string, preview: string | number, actual: string | number) =>
    `  ${label.padEnd(11)} ${String(preview).padStart(12)}  ${String(actual).padStart(12)}`
  return [
    `Done by msb ${d.msb.version ?? '?'} (${d.msb.path}, from ${d.msb.source}): msb ${d.args.join(' ')}`,
    row('', 'preview', 'msb did'),
    row('references', d.preview.references.length, d.actual.references.length),
    row('manifests', d.preview.manifests, d.actual.manifests),
    row('layers', d.preview.layers, d.actual.layers),
    row('files', d.preview.files, d.actual.files),
    row('bytes', formatBytes(d.preview.bytes), formatBytes(d.actual.bytes)),
    d.differences.length === 0 ? '  msb did exactly what the preview said' : '  differences:',
    ...d.differences.map((x) => `    ${x}`)
  ].join('\n')
}

export function describeRemove(result: RemoveResult): string {
  if (result.delegated) return describeDelegated(result.delegated)
  const lines = result.removed.map((r) => `Removed ${r}`)
  lines.push(`  reclaimed ${formatBytes(result.bytesReclaimed)}`)
  if (result.heldBy.length) {
    lines.push(
      `  its data stays while ${result.heldBy.length === 1 ? 'sandbox' : 'sandboxes'} ${result.heldBy.map((s) => s.name).join(', ')} ${result.heldBy.length === 1 ? 'needs' : 'need'} it; prune reclaims it once ${result.heldBy.length === 1 ? 'it is' : 'they are'} gone`
    )
  }
  for (const d of result.differences) lines.push(`  note: ${d}`)
  return lines.join('\n')
}

export function describePrune(result: PruneResult): string {
  if (result.delegated) return describeDelegated(result.delegated)
  const r = result.report
  if (r.imageRefsRemoved + r.manifestsRemoved + r.layersRemoved + r.fsmetaRemoved + r.vmdkRemoved === 0) {
    // Files a killed earlier run left may still have been reclaimed now: say how much.
    const reclaimed = r.bytesReclaimed === null ? [] : [`  Reclaimed   ${formatBytes(r.bytesReclaimed)}`]
    return ['Nothing to prune.', ...reclaimed, ...result.differences.map((d) => `  note: ${d}`)].join('\n')
  }
  const lines = [
    '✓ Pruned image cache',
    `  Image refs  ${formatCount(r.imageRefsRemoved)}`,
    `  Manifests   ${formatCount(r.manifestsRemoved)}`,
    `  Layers      ${formatCount(r.layersRemoved)}`
  ]
  if (r.fsmetaRemoved) lines.push(`  Fsmeta      ${formatCount(r.fsmetaRemoved)}`)
  if (r.vmdkRemoved) lines.push(`  VMDK        ${formatCount(r.vmdkRemoved)}`)
  if (r.skippedInUse)
    lines.push(`  In use      ${formatCount(r.skippedInUse)} skipped (a running msb holds their lease)`)
  // Always stated, also when nothing left the disk (msb omits the line then).
  lines.push(`  Reclaimed   ${formatBytes(r.bytesReclaimed ?? 0)}`)
  for (const d of result.differences) lines.push(`  note: ${d}`)
  return lines.join('\n')
}
