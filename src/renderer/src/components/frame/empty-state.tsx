// The first thing a new user sees: an empty (or not yet created) cache is a normal state, with the
// two ways to fill it, and (where msb from npm is installed) a demo cache one click away.
import type { HeldData } from '../../../../shared/contract'
import { formatBytes } from '../../../../shared/format'
import { useApp } from '../../store/app-store'

/** The Images tab with no reference but data on disk: what holds it and how to free it. */
function HeldState({ held, cacheBytes, home }: { held: HeldData[]; cacheBytes: number; home: string }) {
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>No image references</h2>
      <p>
        No reference names an image in <code>{home}</code>, but its image cache holds {formatBytes(cacheBytes)}.
      </p>
      {held.length > 0 && (
        <ul className="held-list" aria-label="Image data held">
          {held.map((h) => (
            <li key={h.manifestDigest} data-testid="held-line">
              <strong>{formatBytes(h.bytes)}</strong> of image <code>{h.manifestDigest.slice(0, 19)}…</code> is held by{' '}
              {[...h.sandboxes.map((x) => `sandbox ${x.name}`), ...h.snapshots.map((n) => `snapshot ${n}`)].join(', ')}{' '}
              (its references were removed). It is freed when{' '}
              {h.sandboxes.length ? (
                <code>msb rm {h.sandboxes.map((x) => x.name).join(' ')}</code>
              ) : (
                <code>msb snapshot rm</code>
              )}{' '}
              has run, by a prune.
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">The Disk usage tab shows every byte of the home and what frees it.</p>
    </div>
  )
}

export function EmptyState() {
  const status = useApp((s) => s.status)
  const usage = useApp((s) => s.usage)
  // No reference left, but bytes in the cache: never "empty". After `rm --force` of an image a sandbox
  // uses, its data stays for that sandbox; say whose it is.
  const held = usage?.held ?? []
  const cacheBytes = usage?.totalBytes ?? 0
  if (cacheBytes > 0) return <HeldState held={held} cacheBytes={cacheBytes} home={status?.home ?? ''} />
  return (
    <div className="empty-state" data-testid="empty-state">
      <svg className="empty-art" viewBox="0 0 120 96" aria-hidden="true">
        <rect x="18" y="58" width="84" height="16" rx="4" className="e1" />
        <rect x="26" y="38" width="68" height="16" rx="4" className="e2" />
        <rect x="34" y="18" width="52" height="16" rx="4" className="e3" />
      </svg>
      <h2>No images cached yet</h2>
      <p>
        {status?.schema.kind === 'missing' ? 'msb has not created its database in' : 'The image cache in'}{' '}
        <code>{status?.home ?? '~/.microsandbox'}</code> {status?.schema.kind === 'missing' ? 'yet.' : 'is empty.'}{' '}
        Images appear here as soon as msb stores them — this window refreshes on its own.
      </p>
      <div className="empty-steps">
        <div>
          <h3>Pull an image</h3>
          <pre>
            <code>msb pull alpine:3.20</code>
          </pre>
        </div>
        <div>
          <h3>Or load an OCI archive</h3>
          <pre>
            <code>msb load -i image.tar</code>
          </pre>
        </div>
      </div>
      {status?.demoAvailable ? (
        <DemoOffer />
      ) : (
        <p className="muted small">
          Just trying the explorer? <code>npm run demo</code> builds a small demo cache with the real msb (shared
          layers, one image in use) and opens the explorer on it.
        </p>
      )}
    </div>
  )
}

function DemoOffer() {
  const demo = useApp((s) => s.demo)
  const openDemo = useApp((s) => s.openDemo)
  const building = demo.phase === 'building'
  return (
    <div className="empty-demo" aria-busy={building}>
      <h3>Just trying the explorer?</h3>
      <p className="muted small">
        Builds a small cache with msb (shared layers, one image in use) in a temporary folder and opens it here. Your{' '}
        <code>~/.microsandbox</code> is never touched.
      </p>
      <button type="button" className="button button-primary" disabled={building} onClick={() => void openDemo()}>
        {building ? 'Building the demo cache…' : 'Build a demo cache'}
      </button>
      {/* Always present, so screen readers announce the progress when it appears. */}
      <p className="muted small" role="status">
        {building ? 'Running msb to build the demo cache; this takes a few seconds…' : ''}
      </p>
      {demo.error && (
        <p className="inline-error" role="alert">
          {demo.error}
        </p>
      )}
    </div>
  )
}
