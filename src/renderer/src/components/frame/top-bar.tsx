// The window's header: which cache this is, how big it is, the two views and the prune action.
import { useApp, useWritable } from '../../store/app-store'
import type { Tab } from '../../store/state'
import { formatBytes } from '../../../../shared/format'
import { describeSchema, TESTED_MSB_VERSIONS } from '../../../../shared/msb-versions'
import { exactBytes, plural } from '../common/format'

const TABS: { value: Tab; label: string }[] = [
  { value: 'images', label: 'Images' },
  { value: 'usage', label: 'Disk usage' }
]

export function TopBar() {
  const status = useApp((s) => s.status)
  const usage = useApp((s) => s.usage)
  // "On disk": the image cache and the database msb keeps for it (db/msb.db and its -wal and -shm files).
  // Flat rootfs blobs are sparse (256 MiB long, mostly holes): they count by the blocks they hold.
  const onDisk = usage
    ? usage.totalBytes -
      (usage.totals.find((t) => t.kind === 'flat')?.bytes ?? 0) +
      usage.flat.reduce((n, a) => n + a.allocatedBytes, 0) +
      usage.home.areas.filter((a) => a.kind === 'database').reduce((n, a) => n + a.logicalBytes, 0)
    : 0
  const measuring = useApp((s) => s.measuring)
  const tab = useApp((s) => s.tab)
  const writable = useWritable()
  const s = useApp.getState()

  return (
    <header className="top-bar">
      <div className="brand">
        <svg viewBox="0 0 24 24" className="brand-mark" aria-hidden="true">
          <rect x="3" y="14" width="18" height="6" rx="1.5" />
          <rect x="5.5" y="8" width="13" height="5" rx="1.5" opacity=".75" />
          <rect x="8" y="3" width="8" height="4" rx="1.5" opacity=".5" />
        </svg>
        <div className="brand-text">
          <h1>Image Cache Explorer</h1>
          {status && (
            <span className="home-path" title={`cache: ${status.cacheDir}\ndatabase: ${status.dbPath}`}>
              {status.home}
            </span>
          )}
          {status && status.schema.kind !== 'missing' && (
            <span
              className="schema-line"
              data-testid="schema-line"
              title={`Tested with msb ${TESTED_MSB_VERSIONS.join(' and ')}; msb 0.7.3 and later followed from their source`}
            >
              {describeSchema(status.schema)}
            </span>
          )}
        </div>
      </div>

      <nav className="tabs" role="tablist" aria-label="Views">
        {TABS.map((t) => (
          <button
            key={t.value}
            type="button"
            role="tab"
            id={`tab-${t.value}`}
            aria-selected={tab === t.value}
            aria-controls={`panel-${t.value}`}
            className={tab === t.value ? 'on' : undefined}
            onClick={() => s.setTab(t.value)}
          >
            {t.label}
          </button>
        ))}
      </nav>

      <div className="top-stats">
        {measuring && <MeasuringNote />}
        {usage && (
          <>
            <span
              title={`${exactBytes(onDisk)}: the image cache and msb's database files. The whole home: ${exactBytes(usage.home.logicalBytes)}`}
            >
              <span className="muted">On disk</span> <strong data-testid="on-disk">{formatBytes(onDisk)}</strong>
            </span>
            <span title={exactBytes(usage.reclaimableBytes)}>
              <span className="muted">Reclaimable</span>{' '}
              <strong data-testid="reclaimable">{formatBytes(usage.reclaimableBytes)}</strong>
            </span>
          </>
        )}
        <button type="button" className="button" disabled={!writable} onClick={() => s.openPrune()}>
          Prune…
        </button>
      </div>
    </header>
  )
}

/** While disk usage is measured after the rows are shown: what is missing, and how far it has got. */
function MeasuringNote() {
  const images = useApp((s) => s.partialOf ?? s.images.length)
  const files = useApp((s) => s.filesMeasured)
  return (
    <span className="measuring-note muted" role="status" data-testid="measuring">
      Measuring disk usage of {plural(images, 'image')}…
      {files > 0 && <span data-testid="files-measured"> {plural(files, 'file')}</span>}
    </span>
  )
}
