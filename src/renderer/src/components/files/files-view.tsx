// The Files tab: what is inside the image's layers. A layer selector ordered like the layer stack (top first, base
// at the bottom) picks the merged view (what a sandbox sees) or one layer's own entries with what it changes; the
// tree below is virtualised; the biggest files and the wasted bytes follow.
import { useEffect, useMemo, useState } from 'react'
import type { ImageFiles } from '../../../../shared/contract'
import { useApp } from '../../store/app-store'
import { buildFileTree } from '../../store/file-tree'
import { BytesText } from '../common/bytes-text'
import { FileTreeView, type RevealRequest } from './file-tree-view'
import { FileWaste } from './file-waste'
import { formatCount, plural } from '../common/format'
import { shortInstruction, stepOfLayer, StepText } from '../detail/layer-steps'

function LayerSelect({ files, layer }: { files: ImageFiles | null; layer: number | null }) {
  const history = useApp((s) => s.history)
  const layers = files ? [...files.layers].reverse() : []
  const stepText = (position: number) => {
    const step = files ? stepOfLayer(history, files.reference, position) : null
    return step ? ` · ${shortInstruction(step)}` : ''
  }
  const top = files ? files.layers.length - 1 : -1
  return (
    <label className="files-layer-select">
      <span>View</span>
      <select
        value={layer === null ? 'merged' : String(layer)}
        onChange={(e) => useApp.getState().openFiles(e.target.value === 'merged' ? null : Number(e.target.value))}
        aria-label="Layer"
      >
        <option value="merged">Merged: what a sandbox sees</option>
        {layers.map((l) => (
          <option key={l.position} value={l.position}>
            {`#${l.position}${l.position === top && top !== 0 ? ' top' : ''}${l.position === 0 ? ' base' : ''}${stepText(l.position)} · ${plural(l.entries, 'entry', 'entries')}${l.error ? ' · unreadable' : ''}`}
          </option>
        ))}
      </select>
    </label>
  )
}

function Summary({ files }: { files: ImageFiles }) {
  const w = files.waste
  const layer = files.layer === null ? null : files.layers[files.layer]
  const history = useApp((s) => s.history)
  const step = layer ? stepOfLayer(history, files.reference, layer.position) : null
  return (
    <dl className="files-summary" data-testid="files-summary">
      {layer ? (
        <>
          {step && (
            <div>
              <dt>Made by</dt>
              <dd className="files-step">
                <StepText step={step} />
              </dd>
            </div>
          )}
          <div>
            <dt>Changes</dt>
            <dd>
              <span className="change change-added">{formatCount(layer.added)} added</span>{' '}
              <span className="change change-modified">{formatCount(layer.modified)} modified</span>{' '}
              <span className="change change-deleted">{formatCount(layer.deleted)} deleted</span>{' '}
              <span className="change change-opaque">{formatCount(layer.opaque)} opaque</span>
            </dd>
          </div>
          <div>
            <dt>Layer</dt>
            <dd>
              <BytesText bytes={layer.fileBytes} /> in files · EROFS <BytesText bytes={layer.erofsBytes} />
            </dd>
          </div>
        </>
      ) : (
        <div>
          <dt>Entries</dt>
          <dd>{plural(files.entries.length, 'path')}</dd>
        </div>
      )}
      <div>
        <dt>Efficiency</dt>
        <dd title="dive's score: the smallest write of each path over all writes of it">
          {(w.efficiency * 100).toFixed(1)}%
        </dd>
      </div>
      <div>
        <dt>Wasted</dt>
        <dd>
          <BytesText bytes={w.wastedBytes} /> <span className="muted">as dive counts it;</span>{' '}
          <BytesText bytes={w.hiddenBytes} /> <span className="muted">unreachable</span>
        </dd>
      </div>
    </dl>
  )
}

export function FilesView({ reference, layerCount }: { reference: string; layerCount: number | null }) {
  const files = useApp((s) => s.files)
  const state = useApp((s) => s.filesState)
  const error = useApp((s) => s.filesError)
  const layer = useApp((s) => s.filesLayer)
  const [search, setSearch] = useState('')
  const [changesOnly, setChangesOnly] = useState(false)
  const [reveal, setReveal] = useState<RevealRequest | null>(null)
  // A biggest file or a wasted path clicked: shown in the tree, with the filters cleared so it is there.
  const revealPath = (path: string) => {
    setSearch('')
    setChangesOnly(false)
    setReveal((r) => ({ path, seq: (r?.seq ?? 0) + 1 }))
  }

  useEffect(() => {
    useApp.getState().ensureFiles()
  }, [reference, layer])

  const current = files && files.reference === reference && files.layer === layer ? files : null
  const tree = useMemo(() => (current ? buildFileTree(current.entries) : null), [current])
  const failed = current?.layers.filter((l) => l.error) ?? []

  return (
    <section className="files-view" aria-labelledby="detail-files">
      <h3 id="detail-files" className="section-title">
        Files{' '}
        {layerCount !== null && <span className="section-count">{plural(layerCount, 'layer')} · #0 is the base</span>}
      </h3>
      <div className="files-controls">
        <LayerSelect files={current ?? files} layer={layer} />
        <input
          type="search"
          className="files-search"
          placeholder="Find a path…"
          aria-label="Search paths"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {layer !== null && (
          <label className="files-check">
            <input type="checkbox" checked={changesOnly} onChange={(e) => setChangesOnly(e.target.checked)} /> changes
            only
          </label>
        )}
      </div>
      {state === 'error' && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {failed.map((l) => (
        <p key={l.position} className="inline-error" role="alert">
          Layer #{l.position} could not be read: {l.error}
        </p>
      ))}
      {!current && state === 'loading' && <div className="skeleton" aria-busy="true" aria-label="Loading files" />}
      {current && tree && (
        <>
          <Summary files={current} />
          <FileTreeView
            tree={tree}
            filter={{ search, changesOnly: layer !== null && changesOnly }}
            layerView={layer !== null}
            reveal={reveal}
          />
          <FileWaste files={current} onReveal={revealPath} />
        </>
      )}
    </section>
  )
}
