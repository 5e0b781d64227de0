// Where the bytes go: a treemap of the cache (registry → repository → image, the layers images share,
// and everything else in the cache directory), totals by kind of file and what a prune would free.
import { useApp, useWritable } from '../../store/app-store'
import { BytesText } from '../common/bytes-text'
import { plural } from '../common/format'
import { kindLabel } from '../dialogs/plan-view'
import { FLAT_TABLE_ID, HOME_TABLE_ID, KIND_TABLE_ID, UsageTreemap } from './usage-treemap'
import { formatBytes } from '../../../../shared/format'
import { SaveButtons } from '../table/save-buttons'
import { SharedHomes } from '../frame/shared-homes'
import { usageCsv } from '../../../../shared/export-csv'

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
  // Outside the image cache: the explorer deletes nothing there, and says which msb command frees it.
  const homeAreas = usage.home.areas.filter(
    (a) =>
      a.files > 0 &&
      a.kind !== 'image-cache' &&
      a.kind !== 'flat' &&
      !(a.kind === 'other' && a.name.startsWith('cache/'))
  )
  const unusedFlat = usage.flat.filter((a) => a.unused)

  return (
    <div className="disk-usage">
      <section className="usage-map" aria-labelledby="usage-map-title">
        <div className="usage-map-head">
          <h2 id="usage-map-title" className="section-title">
            The home on disk
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
            {usage.flat.length > 0 && (
              <li>
                <span className="swatch tm-flat" /> Flat rootfs artifacts
              </li>
            )}
            {usage.held.length > 0 && (
              <li>
                <span className="swatch tm-held" /> Held by a sandbox or snapshot
              </li>
            )}
            <li>
              <span className="swatch tm-other" /> Other cache files
            </li>
            {homeAreas.some((a) => a.kind === 'sandbox') && (
              <li>
                <span className="swatch tm-sandbox" /> Sandboxes
              </li>
            )}
            {homeAreas.some((a) => a.kind === 'volume') && (
              <li>
                <span className="swatch tm-volume" /> Volumes
              </li>
            )}
            {homeAreas.some((a) => a.kind === 'snapshot') && (
              <li>
                <span className="swatch tm-snapshot" /> Snapshots
              </li>
            )}
            {homeAreas.some((a) => a.kind === 'logs') && (
              <li>
                <span className="swatch tm-logs" /> Logs
              </li>
            )}
            <li>
              <span className="swatch tm-database" /> Database
            </li>
            {homeAreas.some((a) => a.kind === 'other') && (
              <li>
                <span className="swatch tm-home-other" /> Not msb's
              </li>
            )}
          </ul>
        </div>
        <UsageTreemap usage={usage} />
      </section>

      <aside className="usage-side" aria-label="Totals">
        <div className="stat-grid">
          <div className="stat">
            <span
              className="stat-label"
              title="The files of the image cache by length; sparse flat rootfs blobs hold far less on disk"
            >
              Image cache
            </span>
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
          <div className="stat" data-testid="flat-unused">
            <span className="stat-label">Unused flat rootfs</span>
            <BytesText bytes={usage.flatUnusedAllocatedBytes} className="stat-value" />
          </div>
          <div className="stat">
            <span className="stat-label">Whole home on disk</span>
            <BytesText bytes={usage.home.allocatedBytes} className="stat-value" />
            {/* Blocks on disk (as `du -B1` counts) differ from the files' lengths the treemap adds up:
                small files take whole blocks, sparse ones fewer; both are said. */}
            <span className="muted small">{formatBytes(usage.home.logicalBytes)} of file data</span>
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
        {usage.flat.length > 0 && (
          <>
            <h3 className="section-title">Flat rootfs artifacts</h3>
            <table className="kind-bars" id={FLAT_TABLE_ID} tabIndex={-1}>
              <caption className="visually-hidden">
                Flat rootfs artifacts: the image each belongs to, or why it is unused
              </caption>
              <tbody>
                {usage.flat.map((a) => (
                  <tr key={a.refPath ?? a.blobPath} data-unused={a.unused ?? undefined}>
                    <th scope="row">
                      {a.references[0] ??
                        (a.unused === 'orphaned-blob' ? 'Orphaned blob' : (a.manifestDigest ?? '').slice(0, 19))}
                      {a.why && (
                        <span className="muted small">
                          {' '}
                          · {a.unused ? 'unused: ' : ''}
                          {a.why}
                        </span>
                      )}
                    </th>
                    <td
                      className="num"
                      title={`${a.logicalBytes.toLocaleString('en-US')} bytes long, ${a.allocatedBytes.toLocaleString('en-US')} bytes on disk`}
                    >
                      {formatBytes(a.allocatedBytes)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {unusedFlat.length > 0 && (
              <p className="muted small">
                {plural(unusedFlat.length, 'unused artifact')}: the prune dialog's “flat rootfs artifacts” choice
                reclaims them.
              </p>
            )}
          </>
        )}

        <h3 className="section-title">The rest of the home</h3>
        <table className="kind-bars" id={HOME_TABLE_ID} tabIndex={-1}>
          <caption className="visually-hidden">
            The home outside the image cache, and the msb command that frees each part
          </caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Freed by</th>
              <th scope="col" className="num">
                On disk
              </th>
            </tr>
          </thead>
          <tbody>
            {usage.held.map((h) => (
              <tr key={h.manifestDigest} data-kind="held">
                <th scope="row">
                  Image data held by{' '}
                  {[...h.sandboxes.map((x) => `sandbox ${x.name}`), ...h.snapshots.map((n) => `snapshot ${n}`)].join(
                    ', '
                  )}
                </th>
                <td className="muted">
                  <code>
                    {h.sandboxes.length ? `msb rm ${h.sandboxes.map((x) => x.name).join(' ')}` : 'msb snapshot rm'}
                  </code>
                  , then prune
                </td>
                <td className="num">
                  <BytesText bytes={h.bytes} />
                </td>
              </tr>
            ))}
            {homeAreas.map((a) => (
              <tr key={a.path} data-kind={a.kind}>
                <th scope="row">{a.name}</th>
                <td className="muted">{a.freedBy ? <code>{a.freedBy}</code> : 'msb frees none of it'}</td>
                <td className="num" title={`${a.logicalBytes.toLocaleString('en-US')} bytes long`}>
                  <BytesText bytes={a.allocatedBytes} />
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
