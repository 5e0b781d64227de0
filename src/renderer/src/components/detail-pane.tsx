// The right-hand pane for one image: what msb knows (inspect), what it costs on disk, who pins it,
// its layer stack and its config. Arrow keys in the table move it along with the cursor.
import { useApp, useWritable } from '../store/app-store'
import { freedNote, SIZE_TERMS } from '../store/freed-note'
import { splitReference } from '../../../shared/reference'
import { BytesText } from './bytes-text'
import { ConfigView } from './config-view'
import { Digest } from './digest'
import { plural } from './format'
import { LayerStack } from './layer-stack'
import { ReferenceName } from './reference-cell'
import { TimeText } from './time-text'

export function DetailPane() {
  const detailRef = useApp((s) => s.detailRef)
  const insight = useApp((s) => s.insight)
  const state = useApp((s) => s.insightState)
  const error = useApp((s) => s.insightError)
  const writable = useWritable()
  if (!detailRef) return null
  const handle = insight?.detail.handle
  const usage = insight?.usage

  return (
    <aside className="detail-pane" aria-label={`Details of ${detailRef}`} data-reference={detailRef}>
      <header className="detail-header">
        <h2 className="detail-title">
          <ReferenceName reference={detailRef} parts={splitReference(detailRef)} />
        </h2>
        <div className="detail-actions">
          <button
            type="button"
            className="button button-danger-quiet"
            disabled={!writable}
            onClick={() => useApp.getState().openRemove([detailRef])}
          >
            Remove…
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Close details"
            title="Close (Esc)"
            onClick={() => useApp.getState().closeDetail()}
          >
            <svg viewBox="0 0 16 16" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      </header>

      <div className="detail-body">
        {state === 'error' && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!insight && state === 'loading' && <div className="skeleton" aria-busy="true" aria-label="Loading details" />}
        {insight && handle && usage && (
          <>
            <section aria-labelledby="detail-overview">
              <h3 id="detail-overview" className="section-title">
                Overview
              </h3>
              <dl className="facts">
                <div>
                  <dt>Manifest</dt>
                  <dd>
                    <Digest digest={handle.manifestDigest} label="manifest digest" full />
                  </dd>
                </div>
                <div>
                  <dt>Platform</dt>
                  <dd>
                    {handle.os || handle.architecture ? (
                      [handle.os, handle.architecture].filter(Boolean).join('/')
                    ) : (
                      <span className="muted">unknown</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Size</dt>
                  <dd>
                    <BytesText bytes={handle.sizeBytes} /> <span className="muted">compressed, as pulled</span>
                  </dd>
                </div>
                <div>
                  <dt>Frees if removed</dt>
                  <dd data-testid="detail-freed">
                    <BytesText bytes={usage.freedBytes} className="strong-number" />
                    {freedNote(usage) && <span className="freed-note">{freedNote(usage)}</span>}
                  </dd>
                </div>
                <div>
                  <dt title={SIZE_TERMS.unique}>Unique to this image</dt>
                  <dd>
                    <BytesText bytes={usage.uniqueBytes} />{' '}
                    <span className="muted">per image (manifest), all its tags together</span>
                  </dd>
                </div>
                <div>
                  <dt>Shared on disk</dt>
                  <dd>
                    <BytesText bytes={usage.sharedBytes} /> <span className="muted">layers other images use</span>
                  </dd>
                </div>
                <div>
                  <dt>fsmeta / vmdk</dt>
                  <dd>
                    <BytesText bytes={insight.fsmetaBytes} /> / <BytesText bytes={insight.vmdkBytes} />
                  </dd>
                </div>
                <div>
                  <dt>Layers</dt>
                  <dd>{handle.layerCount}</dd>
                </div>
                <div>
                  <dt>Created</dt>
                  <dd>
                    <TimeText iso={handle.createdAt} />
                  </dd>
                </div>
                <div>
                  <dt>Last used</dt>
                  <dd>
                    <TimeText iso={handle.lastUsedAt} />
                  </dd>
                </div>
                <div>
                  <dt>Also known as</dt>
                  <dd>
                    {usage.aliases.length ? (
                      usage.aliases.join(', ')
                    ) : (
                      <span className="muted">no other reference</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>In use by</dt>
                  <dd>
                    {usage.sandboxes.length === 0 ? (
                      <span className="muted">no sandbox</span>
                    ) : (
                      <ul className="plain-list">
                        {usage.sandboxes.map((s) => (
                          <li key={s.id}>
                            <span className="badge badge-in-use">
                              <span className="dot" aria-hidden="true" />
                              {s.name}
                            </span>{' '}
                            <span className="muted">{s.status}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </div>
                {usage.snapshots.length > 0 && (
                  <div>
                    <dt>Snapshots</dt>
                    <dd>{usage.snapshots.join(', ')}</dd>
                  </div>
                )}
              </dl>
            </section>

            <section aria-labelledby="detail-layers">
              <h3 id="detail-layers" className="section-title">
                Layers{' '}
                <span className="section-count">
                  {plural(insight.detail.layers.length, 'layer')} · top first, base at the bottom
                </span>
              </h3>
              <LayerStack insight={insight} />
            </section>

            <section aria-labelledby="detail-config">
              <h3 id="detail-config" className="section-title">
                Config
              </h3>
              <ConfigView config={insight.detail.config} />
            </section>
          </>
        )}
      </div>
    </aside>
  )
}
