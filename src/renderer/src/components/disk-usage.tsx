// Where the bytes go: a treemap of the cache (registry → repository → image, the layers images share,
// and everything else in the cache directory), totals by kind of file and what a prune would free.
import { useApp, useWritable } from '../store/app-store'
import { BytesText } from './bytes-text'
import { plural } from './format'
import { kindLabel } from './plan-view'
import { KIND_TABLE_ID, UsageTreemap } from './usage-treemap'
import { SaveButtons } from './save-buttons'
import { SharedHomes } from './shared-homes'
import { usageCsv } from '../../../shared/export-csv'

export function DiskUsage() {
  const usage = useApp((s) => s.usage)
  const measuring = useApp((s) => s.measuring)
  const writable = useWritable()
  if (!usage) {
    if (!measuring) return null
    return (
      <p className="center-note muted" role="status">
        Measuring disk usage…
      </p>
    )
  }
  const kinds = [...usage.totals].filter((k) => k.bytes > 0 || k.files > 0).sort((a, b) => b.bytes - a.bytes)
  const max = Math.max(1, ...kinds.map((k) => k.bytes))

  return (
    <div className="disk-usage">
      <section className="usage-map" aria-labelledby="usage-map-title">
        <div className="usage-map-head">
          <h2 id="usage-map-title" className="section-title">
            Cache on disk
          </h2>
          <SaveButtons name="disk-usage" json={() => usage} csv={() => usageCsv(usage)} />
          <ul className="legend" aria-label="Legend">
            <li>
              <span className="swatch tm-group" /> Registry or repository (click to zoom)
            </li>
            <li>
              <span className="swatch tm-image" /> Image (bytes only it uses)
            </li>
            <li>
              <span className="swatch tm-image tm-in-use" /> In use
            </li>
            <li>
              <span className="swatch tm-shared" /> Shared layers
            </li>
            {usage.totals.some((t) => t.kind === 'memory' && t.bytes > 0) && (
              <li>
                <span className="swatch tm-memory" /> Snapshot memory (msb 0.7; never pruned)
              </li>
            )}
            <li>
              <span className="swatch tm-other" /> Other cache files
            </li>
          </ul>
        </div>
        <UsageTreemap usage={usage} />
      </section>

      <aside className="usage-side" aria-label="Totals">
        <div className="stat-grid">
          <div className="stat">
            <span className="stat-label">Total on disk</span>
            <BytesText bytes={usage.totalBytes} className="stat-value" />
          </div>
          <div className="stat">
            <span className="stat-label">Shared layers</span>
            <BytesText bytes={usage.sharedLayerBytes} className="stat-value" />
          </div>
          <div className="stat stat-accent">
            <span className="stat-label">Reclaimable by prune</span>
            <BytesText bytes={usage.reclaimableBytes} className="stat-value" />
          </div>
          <div className="stat">
            <span className="stat-label">Dangling data</span>
            <BytesText bytes={usage.danglingBytes} className="stat-value" />
          </div>
        </div>
        <button
          type="button"
          className="button button-primary full"
          disabled={!writable}
          onClick={() => useApp.getState().openPrune()}
        >
          Review prune…
        </button>

        <h3 className="section-title">By kind of file</h3>
        <table className="kind-bars" id={KIND_TABLE_ID} tabIndex={-1}>
          <caption className="visually-hidden">Bytes on disk by kind of file</caption>
          <thead className="visually-hidden">
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Files</th>
              <th scope="col">Bytes</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((k) => (
              <tr key={k.kind} data-kind={k.kind}>
                <th scope="row">
                  {kindLabel(k.kind)}
                  <span className="kind-bar" aria-hidden="true">
                    <span style={{ width: `${(k.bytes / max) * 100}%` }} />
                  </span>
                </th>
                <td className="muted">{plural(k.files, 'file')}</td>
                <td className="num">
                  <BytesText bytes={k.bytes} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <SharedHomes />
      </aside>
    </div>
  )
}
