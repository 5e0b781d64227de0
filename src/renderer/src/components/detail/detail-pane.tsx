// The right-hand pane for one image, in tabs: Overview (what msb knows, what it costs on disk, who pins it),
// Layers (the stack, base at the bottom), Files (inside the layers), Config, and the inspect JSON. Arrow keys in
// the table move it along with the cursor; the open tab stays open from image to image.
import type { KeyboardEvent } from 'react'
import { useApp, useWritable } from '../../store/app-store'
import { splitReference } from '../../../../shared/reference'
import type { DetailTab } from '../../store/state'
import { ConfigView } from './config-view'
import { CopyButton } from '../common/copy-button'
import { DetailOverview } from './detail-overview'
import { plural } from '../common/format'
import { FilesView } from '../files/files-view'
import { InspectJson } from './inspect-json'
import { LayerStack } from './layer-stack'
import { ReferenceName } from '../table/reference-cell'
import { DamagedNotice } from './damaged-image'

const TABS: { id: DetailTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'layers', label: 'Layers' },
  { id: 'files', label: 'Files' },
  { id: 'config', label: 'Config' },
  { id: 'json', label: 'JSON' }
]

function DetailTabs({ tab }: { tab: DetailTab }) {
  const select = (id: DetailTab) => useApp.getState().setDetailTab(id)
  // The WAI-ARIA tabs pattern: arrows move between tabs, the panel follows.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    const i = (TABS.findIndex((t) => t.id === tab) + step + TABS.length) % TABS.length
    select(TABS[i].id)
    event.currentTarget.querySelector<HTMLButtonElement>(`#detail-tab-${TABS[i].id}`)?.focus()
  }
  return (
    <div className="tabs detail-tabs" role="tablist" aria-label="Image details" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          id={`detail-tab-${t.id}`}
          type="button"
          role="tab"
          aria-selected={tab === t.id}
          aria-controls="detail-panel"
          tabIndex={tab === t.id ? 0 : -1}
          className={tab === t.id ? 'on' : undefined}
          onClick={() => select(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  )
}

export function DetailPane() {
  const detailRef = useApp((s) => s.detailRef)
  const insight = useApp((s) => s.insight)
  const history = useApp((s) => s.history)
  const state = useApp((s) => s.insightState)
  const error = useApp((s) => s.insightError)
  const tab = useApp((s) => s.detailTab)
  const writable = useWritable()
  if (!detailRef) return null

  return (
    <aside className="detail-pane" aria-label={`Details of ${detailRef}`} data-reference={detailRef}>
      <header className="detail-header">
        <h2 className="detail-title">
          <ReferenceName reference={detailRef} parts={splitReference(detailRef)} />
          <CopyButton text={detailRef} label="reference" />
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
      <DetailTabs tab={tab} />

      <div
        className={`detail-body${tab === 'files' ? ' detail-body-files' : ''}`}
        id="detail-panel"
        role="tabpanel"
        aria-labelledby={`detail-tab-${tab}`}
      >
        {state === 'error' && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!insight && state === 'loading' && <div className="skeleton" aria-busy="true" aria-label="Loading details" />}
        {insight && <DamagedNotice missing={insight.usage.missingFiles} />}
        {insight && tab === 'overview' && <DetailOverview insight={insight} history={history} />}
        {insight && tab === 'layers' && (
          <section aria-labelledby="detail-layers">
            <h3 id="detail-layers" className="section-title">
              Layers{' '}
              <span className="section-count">
                {plural(insight.detail.layers.length, 'layer')} · top first, base at the bottom
              </span>
            </h3>
            <LayerStack insight={insight} history={history} />
          </section>
        )}
        {tab === 'files' && <FilesView reference={detailRef} layerCount={insight?.detail.layers.length ?? null} />}
        {insight && tab === 'config' && (
          <section aria-labelledby="detail-config">
            <h3 id="detail-config" className="section-title">
              Config
            </h3>
            <ConfigView config={insight.detail.config} />
          </section>
        )}
        {insight && tab === 'json' && <InspectJson insight={insight} />}
      </div>
    </aside>
  )
}
