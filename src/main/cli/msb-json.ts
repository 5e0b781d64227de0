// The JSON that `msb image ls|inspect|prune --format json` prints, field for field, so scripts can
// switch between msb and this CLI. msb builds these with `serde_json::json!` (keys in byte order) and
// pretty-prints with two spaces; times are chrono's `to_rfc3339()`.
import type { ImageDetail, ImagePruneReport } from '../../shared/contract'
import type { ConfigRow, ImageRow } from '../core/image-queries'
import { toConfig } from '../core/image-queries'
import { dbTimeToRfc3339 } from '../core/timestamps'

export function msbListJson(rows: ImageRow[]): unknown[] {
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

export function msbInspectJson(row: ImageRow, detail: ImageDetail, configRow: ConfigRow | undefined): unknown {
  const config = configRow ? toConfig(configRow) : null
  return {
    architecture: row.architecture,
    config: config && {
      cmd: config.cmd,
      digest: config.digest,
      entrypoint: config.entrypoint,
      env: config.env,
      labels: config.labels,
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
    vmdk_removed: report.vmdkRemoved
  }
}

/** serde_json's pretty printer: two-space indent, `"key": value`. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
}
