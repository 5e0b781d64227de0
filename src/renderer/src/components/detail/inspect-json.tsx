// The JSON tab: the image as `msb image inspect --format json` prints it (msb's keys, in msb's order), with the
// EROFS sizes the explorer measured added where msb leaves them null.
import type { ImageInsight } from '../../../../shared/contract'
import { CopyButton } from '../common/copy-button'

export function inspectJson(insight: ImageInsight): unknown {
  const { detail } = insight
  const h = detail.handle
  const c = detail.config
  const measured = new Map(insight.layers.map((l) => [l.position, l.fileBytes]))
  return {
    architecture: h.architecture,
    config: c && {
      cmd: c.cmd,
      digest: c.digest,
      entrypoint: c.entrypoint,
      env: c.env,
      labels: c.labels,
      stop_signal: c.stopSignal,
      user: c.user,
      working_dir: c.workingDir
    },
    created_at: h.createdAt,
    digest: h.manifestDigest,
    layer_count: detail.layers.length,
    layers: detail.layers.map((l) => ({
      blob_digest: l.blobDigest,
      compressed_size_bytes: l.compressedSizeBytes,
      diff_id: l.diffId,
      erofs_size_bytes: l.erofsSizeBytes ?? measured.get(l.position) ?? null,
      media_type: l.mediaType,
      position: l.position
    })),
    os: h.os,
    reference: h.reference,
    size_bytes: h.sizeBytes
  }
}

export function InspectJson({ insight }: { insight: ImageInsight }) {
  const text = JSON.stringify(inspectJson(insight), null, 2)
  return (
    <section aria-labelledby="detail-json">
      <h3 id="detail-json" className="section-title">
        Inspect JSON{' '}
        <span className="section-count">as msb image inspect --format json, with measured EROFS sizes</span>
        <CopyButton text={text} label="Copy the inspect JSON" />
      </h3>
      <pre className="json-view" tabIndex={0} aria-label="Inspect JSON">
        {text}
      </pre>
    </section>
  )
}
