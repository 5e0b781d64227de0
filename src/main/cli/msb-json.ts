// The JSON that `msb image ls|inspect|prune --format json` prints, field for field, so scripts can
// switch between msb and this CLI. msb builds these with `serde_json::json!` (keys in byte order) and
// pretty-prints with two spaces; times are chrono's `to_rfc3339()`.
import type { ImageDetail, ImagePruneReport } from '../../shared/contract'
import type { ConfigRow, StoredImageRow } from '../core/database/image-queries'
import { compareBytes, toConfig } from '../core/database/image-queries'
import { dbTimeToRfc3339 } from '../core/database/timestamps'

export function msbListJson(rows: StoredImageRow[]): unknown[] {
  return rows.map((row) => ({
    architecture: row.architecture,
    created_at: dbTimeToRfc3339(row.createdAt),
    digest: row.digest,
    layer_count: row.layerCount ?? 0,
    os: row.os,
    reference: row.reference,
    size_bytes: row.totalSizeBytes
  }))
}

export function msbInspectJson(row: StoredImageRow, detail: ImageDetail, configRow: ConfigRow | undefined): unknown {
  const config = configRow ? toConfig(configRow) : null
  return {
    architecture: row.architecture,
    config: config && {
      cmd: config.cmd,
      digest: config.digest,
      entrypoint: config.entrypoint,
      env: config.env,
      labels: config.labels && byteOrdered(config.labels),
      stop_signal: config.stopSignal,
      user: config.user,
      working_dir: config.workingDir
    },
    created_at: dbTimeToRfc3339(row.createdAt),
    digest: row.digest,
    layer_count: detail.layers.length,
    layers: detail.layers.map((l) => ({
      blob_digest: l.blobDigest,
      compressed_size_bytes: l.compressedSizeBytes,
      diff_id: l.diffId,
      erofs_size_bytes: l.erofsSizeBytes,
      media_type: l.mediaType,
      position: l.position
    })),
    os: row.os,
    reference: row.reference,
    size_bytes: row.totalSizeBytes
  }
}

export function msbPruneJson(report: ImagePruneReport): unknown {
  return {
    bytes_reclaimed: report.bytesReclaimed,
    fsmeta_removed: report.fsmetaRemoved,
    image_refs_removed: report.imageRefsRemoved,
    layers_removed: report.layersRemoved,
    manifests_removed: report.manifestsRemoved,
    // msb 0.7.3+ only (ImagePruneReport.skipped_in_use): older homes keep the report msb 0.6.18 and 0.7.2 print.
    ...(report.skippedInUse !== undefined ? { skipped_in_use: report.skippedInUse } : {}),
    vmdk_removed: report.vmdkRemoved
  }
}

/**
 * An object whose keys must print in UTF-8 byte order, as serde_json's BTreeMap prints them. A plain JS object can't
 * hold that order: integer-like keys ("9", "10") always come first, in numeric order.
 */
function byteOrdered(obj: Record<string, unknown>): Map<string, unknown> {
  return new Map(
    Object.keys(obj)
      .sort(compareBytes)
      .map((k) => [k, obj[k]])
  )
}

/**
 * serde_json's pretty printer: two-space indent, `"key": value`, `[]`/`{}` when empty. Written out rather than
 * `JSON.stringify(v, null, 2)` because a Map must print as an object in its own key order (see byteOrdered); strings
 * are escaped by JSON.stringify, which escapes exactly what serde_json escapes.
 */
export function prettyJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `
  if (value instanceof Map) {
    const entries = [...value].filter(([, v]) => v !== undefined)
    if (entries.length === 0) return '{}'
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(String(k))}: ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((v) => `${inner}${prettyJson(v === undefined ? null : v, inner)}`).join(',\n')}\n${indent}]`
  }
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') return prettyJson(toJSON.call(value), indent)
    return prettyJson(new Map(Object.entries(value)), indent)
  }
  return JSON.stringify(value) ?? 'null'
}
