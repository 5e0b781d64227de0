// `files REF [--layer N]`: the JSON shapes the CLI promises (issue 12) and a readable listing.
//
// Merged view: `{path, type, size, mode, uid, gid, target?, layer}` per path; one layer: `{path, type, size, change}`.
// Hard links appear under each of their names as files. Key order is fixed so scripts can diff outputs.
import type { FileRow, ImageFiles } from '../../shared/contract'
import { formatBytes, formatCount, modeString } from '../../shared/format'
import { escapeField } from './terminal-text'

/** The merged view's JSON row: the contract's FileRow narrowed to the fields `files --json` promises. */
export type MergedFileJson = Pick<FileRow, 'path' | 'type' | 'size' | 'mode' | 'uid' | 'gid' | 'target' | 'layer'>

export interface LayerFileJson {
  path: string
  type: FileRow['type']
  size: number
  change: NonNullable<FileRow['change']>
}

export function filesJson(files: ImageFiles): MergedFileJson[] | LayerFileJson[] {
  if (files.layer !== null) {
    return files.entries.map((r) => ({ path: r.path, type: r.type, size: r.size, change: r.change ?? 'added' }))
  }
  return files.entries.map((r) => {
    const row: Omit<MergedFileJson, 'layer'> = {
      path: r.path,
      type: r.type,
      size: r.size,
      mode: r.mode,
      uid: r.uid,
      gid: r.gid
    }
    if (r.target !== undefined) row.target = r.target
    return { ...row, layer: r.layer }
  })
}

export function describeFiles(files: ImageFiles): string {
  const lines: string[] = []
  for (const r of files.entries) {
    const where = files.layer === null ? `L${r.layer}` : (r.change ?? '')
    if (r.change === 'deleted') {
      // A deletion is a whiteout: its mode, owner and size are the marker's, not the deleted path's.
      const what = escapeField(r.type === 'dir' ? `${r.path}/` : r.path)
      lines.push(`${'deleted'.padEnd(10)} ${'-'.padEnd(11)} ${'-'.padStart(10)}  ${where.padEnd(8)} ${what}`)
      continue
    }
    const size = r.type === 'dir' ? formatBytes(r.totalBytes ?? 0) : formatBytes(r.size)
    const target = r.target !== undefined ? ` -> ${escapeField(r.target)}` : ''
    lines.push(
      `${modeString(r)} ${`${r.uid}:${r.gid}`.padEnd(11)} ${size.padStart(10)}  ${where.padEnd(8)} ${escapeField(r.path)}${target}`
    )
  }
  const w = files.waste
  lines.push('')
  if (files.layer !== null) {
    const l = files.layers[files.layer]
    lines.push(
      `layer ${l.position} (${l.diffId}): ${formatCount(l.added)} added, ${formatCount(l.modified)} modified, ` +
        `${formatCount(l.deleted)} deleted, ${formatCount(l.opaque)} opaque`
    )
  }
  lines.push(
    `${formatCount(files.entries.length)} ${files.entries.length === 1 ? 'entry' : 'entries'}; image efficiency ${(w.efficiency * 100).toFixed(2)}% (as dive computes it), ` +
      `wasted ${formatBytes(w.wastedBytes)}, unreachable in lower layers ${formatBytes(w.hiddenBytes)}`
  )
  return lines.join('\n')
}

/** One line per layer of the view that could not be read (the merged view needs every layer). */
export function unreadLayers(files: ImageFiles): string[] {
  return files.layers
    .filter((l) => l.error !== null && (files.layer === null || files.layer === l.position))
    .map(
      (l) =>
        `layer ${l.position} (${l.diffId}) could not be read: ${l.error}; the listing lacks its files, and ` +
        `the image is damaged (msb cannot use it until it is pulled again)`
    )
}
