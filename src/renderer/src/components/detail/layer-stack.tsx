// The layers as a stack, the way the filesystem is built: position 0 (the base) at the BOTTOM, the
// top layer above it. Bars are sized by the bytes each layer costs on disk; unknown sizes say so.
import { useState } from 'react'
import { useApp } from '../../store/app-store'
import type { ImageHistory, ImageInsight, LayerUsage } from '../../../../shared/contract'
import { BytesText } from '../common/bytes-text'
import { Digest } from './digest'
import { EmptyStep, emptyStepsAfter, HistoryNote, StepText } from './layer-steps'

const SHARED_PREVIEW = 4

/** The first few references sharing a layer; a base layer can be shared by hundreds. */
function SharedWith({ references }: { references: string[] }) {
  const [all, setAll] = useState(false)
  const shown = all ? references : references.slice(0, SHARED_PREVIEW)
  return (
    <>
      {shown.join(', ')}
      {references.length > SHARED_PREVIEW && (
        <>
          {' '}
          <button type="button" className="link-button" aria-expanded={all} onClick={() => setAll(!all)}>
            {all ? 'show fewer' : `+${references.length - SHARED_PREVIEW} more`}
          </button>
        </>
      )}
    </>
  )
}

export function LayerStack({ insight, history }: { insight: ImageInsight; history: ImageHistory | null }) {
  const usageByPosition = new Map<number, LayerUsage>()
  for (const l of insight.layers) usageByPosition.set(l.position, l)
  const layers = [...insight.detail.layers].sort((a, b) => a.position - b.position)
  if (layers.length === 0) return <p className="muted">This image records no layers.</p>
  const sizeOf = (position: number, compressed: number | null) =>
    usageByPosition.get(position)?.fileBytes ?? compressed ?? 0
  const max = Math.max(1, ...layers.map((l) => sizeOf(l.position, l.compressedSizeBytes)))
  const top = layers[layers.length - 1].position
  const emptyAfter = emptyStepsAfter(history)
  const stepOf = (position: number) => {
    const index = history?.layerSteps[position]
    return index == null ? null : (history?.steps[index] ?? null)
  }

  return (
    <>
      {history && <HistoryNote history={history} />}
      <ol className="layer-stack" aria-label="Layers, base first (drawn at the bottom)">
        {emptyAfter.get(-1)?.map((step) => (
          <EmptyStep key={`s${step.index}`} step={step} />
        ))}
        {layers.flatMap((layer) => {
          const usage = usageByPosition.get(layer.position)
          const bytes = sizeOf(layer.position, layer.compressedSizeBytes)
          const shared = usage?.sharedWith ?? []
          const step = stepOf(layer.position)
          return [
            <li key={layer.position} className="layer" data-position={layer.position} data-diff-id={layer.diffId}>
              <div className="layer-head">
                <span className="layer-position">
                  #{layer.position}
                  {layer.position === 0 && <span className="layer-role">base</span>}
                  {layer.position === top && layer.position !== 0 && <span className="layer-role">top</span>}
                </span>
                <span className="layer-bar" aria-hidden="true">
                  <span
                    className={`layer-bar-fill${shared.length ? ' shared' : ''}`}
                    style={{ width: `${Math.max(1.5, (bytes / max) * 100)}%` }}
                  />
                </span>
                <span className="layer-size">
                  {usage?.fileBytes != null ? (
                    <BytesText bytes={usage.fileBytes} />
                  ) : (
                    <span className="muted">missing</span>
                  )}
                </span>
                <button
                  type="button"
                  className="link-button layer-files-link"
                  aria-label={`Files of layer ${layer.position}`}
                  onClick={() => useApp.getState().openFiles(layer.position)}
                >
                  Files
                </button>
              </div>
              {step && (
                <div className="layer-step">
                  <StepText step={step} />
                </div>
              )}
              <dl className="layer-facts">
                <div>
                  <dt>diff</dt>
                  <dd>
                    <Digest digest={layer.diffId} label={`diff id of layer ${layer.position}`} />
                  </dd>
                </div>
                <div>
                  <dt>blob</dt>
                  <dd>
                    <Digest digest={layer.blobDigest} label={`blob digest of layer ${layer.position}`} />
                  </dd>
                </div>
                <div>
                  <dt>compressed</dt>
                  <dd>
                    <BytesText bytes={layer.compressedSizeBytes} />
                  </dd>
                </div>
                <div>
                  <dt>EROFS</dt>
                  <dd>
                    {/* msb 0.6 records no EROFS size; the file on disk says it. */}
                    {layer.erofsSizeBytes != null || usage?.fileBytes != null ? (
                      <BytesText bytes={layer.erofsSizeBytes ?? usage?.fileBytes} />
                    ) : (
                      <span className="muted">file missing</span>
                    )}
                  </dd>
                </div>
                <div className="layer-media">
                  <dt>media type</dt>
                  <dd>{layer.mediaType ? <code>{layer.mediaType}</code> : <span className="muted">unknown</span>}</dd>
                </div>
                {shared.length > 0 && (
                  <div className="layer-shared">
                    <dt>shared with</dt>
                    <dd>
                      <SharedWith references={shared} />
                    </dd>
                  </div>
                )}
              </dl>
            </li>,
            ...(emptyAfter.get(layer.position) ?? []).map((s) => <EmptyStep key={`s${s.index}`} step={s} />)
          ]
        })}
      </ol>
    </>
  )
}
