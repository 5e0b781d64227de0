// Where the bytes go: the biggest files of the view on screen, and the paths written more than once with every
// write behind them (which layer, what it did, its bytes, whether an upper layer hides it, whether only mode or
// owner changed), the question dive's users ask and dive does not answer.
import { useState } from 'react'
import type { ImageFiles, ImageHistory, WastedPath } from '../../../../shared/contract'
import { useApp } from '../../store/app-store'
import { BytesText } from '../common/bytes-text'
import { plural } from '../common/format'
import { stepOfLayer } from '../detail/layer-steps'

const PREVIEW = 10

function PathLink({ path, onReveal }: { path: string; onReveal: (path: string) => void }) {
  return (
    <button
      type="button"
      className="link-button path-link"
      title={`Show ${path} in the tree`}
      onClick={() => onReveal(path)}
    >
      <code>{path}</code>
    </button>
  )
}

/** "added by `COPY . /app`": the step that made a write's layer, where the history names it. */
function ByStep({ history, reference, layer }: { history: ImageHistory | null; reference: string; layer: number }) {
  const step = stepOfLayer(history, reference, layer)
  if (!step) return null
  return (
    <span className="wasted-step" title={step.createdBy ?? undefined}>
      {' '}
      by <code>{step.instruction}</code>
    </span>
  )
}

function WastedItem({
  path,
  reference,
  onReveal
}: {
  path: WastedPath
  reference: string
  onReveal: (path: string) => void
}) {
  const history = useApp((s) => s.history)
  return (
    <li className="wasted-path" data-path={path.path}>
      <div className="wasted-head">
        <PathLink path={path.path} onReveal={onReveal} />
        <BytesText bytes={path.cumulativeBytes} />
      </div>
      <ol className="wasted-writes">
        {path.writes.map((w) => (
          <li key={w.layer}>
            <span className="muted">#{w.layer}</span> <span className={`change change-${w.action}`}>{w.action}</span>
            <ByStep history={history} reference={reference} layer={w.layer} /> <BytesText bytes={w.bytes} />
            {w.hidden && <span className="pill pill-hidden">hidden by an upper layer</span>}
            {w.attributesOnly && <span className="pill pill-attrs">mode/owner only, same size</span>}
          </li>
        ))}
      </ol>
    </li>
  )
}

export function FileWaste({ files, onReveal }: { files: ImageFiles; onReveal: (path: string) => void }) {
  const [allBig, setAllBig] = useState(false)
  const [allWaste, setAllWaste] = useState(false)
  const big = allBig ? files.biggest : files.biggest.slice(0, PREVIEW)
  const waste = allWaste ? files.waste.paths : files.waste.paths.slice(0, PREVIEW)
  return (
    <>
      <h4 className="subheading">Biggest files {files.layer === null ? 'of the image' : `of layer #${files.layer}`}</h4>
      {big.length === 0 ? (
        <p className="muted">No regular files.</p>
      ) : (
        <ol className="biggest-files" aria-label="Biggest files">
          {big.map((r) => (
            <li key={r.path}>
              <PathLink path={r.path} onReveal={onReveal} />
              <span className="muted">#{r.layer}</span>
              <BytesText bytes={r.size} />
            </li>
          ))}
        </ol>
      )}
      {files.biggest.length > PREVIEW && (
        <button type="button" className="link-button" onClick={() => setAllBig(!allBig)}>
          {allBig ? 'show fewer' : `show ${files.biggest.length}`}
        </button>
      )}
      <h4 className="subheading">
        Wasted space <span className="muted">{plural(files.waste.pathCount, 'path')} written more than once</span>
      </h4>
      {waste.length === 0 ? (
        <p className="muted">No path is written by more than one layer.</p>
      ) : (
        <ol className="wasted-paths" aria-label="Wasted space">
          {waste.map((p) => (
            <WastedItem key={p.path} path={p} reference={files.reference} onReveal={onReveal} />
          ))}
        </ol>
      )}
      {files.waste.paths.length > PREVIEW && (
        <button type="button" className="link-button" onClick={() => setAllWaste(!allWaste)}>
          {allWaste ? 'show fewer' : `show ${files.waste.paths.length}`}
        </button>
      )}
    </>
  )
}
