// Where the bytes go: a treemap of the cache (each image's unique bytes, the layers images share,
// and everything else in the cache directory), totals by kind of file and what a prune would free.
// Clicking an image's area opens it in the table.
import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy'
import { useMemo, useRef } from 'react'
import type { CacheUsage } from '../../../shared/contract'
import { useApp, useWritable } from '../store/app-store'
import { splitReference } from '../../../shared/reference'
import { BytesText } from './bytes-text'
import { formatBytes } from '../../../shared/format'
import { exactBytes, plural } from './format'
import { kindLabel } from './plan-view'
import { SaveButtons } from './save-buttons'
import { useSize } from './use-size'
import { SharedHomes } from './shared-homes'
import { usageCsv } from '../../../shared/export-csv'

type Leaf =
  | { kind: 'image'; id: string; references: string[]; bytes: number; inUse: boolean; shade: number }
  | { kind: 'shared' | 'memory' | 'other'; id: string; bytes: number }

interface Node {
  children?: Leaf[]
}

/** One area per manifest: aliases share their bytes, so they must not be counted twice. */
export function usageLeaves(usage: CacheUsage): Leaf[] {
  const byManifest = new Map<string, Extract<Leaf, { kind: 'image' }>>()
  for (const image of usage.images) {
    const key = image.manifestDigest ?? `ref:${image.reference}`
    const existing = byManifest.get(key)
    if (existing) {
      existing.references.push(image.reference)
      existing.inUse ||= image.sandboxes.length > 0
    } else {
      byManifest.set(key, {
        kind: 'image',
        id: key,
        references: [image.reference],
        bytes: image.uniqueBytes,
        inUse: image.sandboxes.length > 0,
        shade: byManifest.size % 5
      })
    }
  }
  const images = [...byManifest.values()]
  const imageBytes = images.reduce((sum, l) => sum + l.bytes, 0)
  // msb 0.7's snapshot memory is its own area: it is no image's bytes and no prune frees it.
  const memory = usage.totals.find((t) => t.kind === 'memory')?.bytes ?? 0
  const other = Math.max(0, usage.totalBytes - imageBytes - usage.sharedLayerBytes - memory)
  const leaves: Leaf[] = [
    ...images,
    { kind: 'shared', id: 'shared', bytes: usage.sharedLayerBytes },
    { kind: 'memory', id: 'memory', bytes: memory },
    { kind: 'other', id: 'other', bytes: other }
  ]
  return leaves.filter((l) => l.bytes > 0)
}

function leafName(leaf: Leaf): string {
  if (leaf.kind === 'shared') return 'Shared layers'
  if (leaf.kind === 'memory') return 'Snapshot memory'
  if (leaf.kind !== 'image') return 'Other cache files'
  const p = splitReference(leaf.references[0])
  const name = `${p.repository}${p.tag ? `:${p.tag}` : ''}`
  return leaf.references.length > 1 ? `${name} +${leaf.references.length - 1}` : name
}

function openImage(reference: string) {
  const s = useApp.getState()
  if (!s.visible.some((r) => r.reference === reference)) {
    s.setFilter('all')
    s.setSearch('')
  }
  s.setTab('images')
  s.openDetail(reference)
  requestAnimationFrame(() => document.getElementById('image-grid')?.focus())
}

function Treemap({ usage }: { usage: CacheUsage }) {
  const boxRef = useRef<HTMLDivElement>(null)
  const { width, height } = useSize(boxRef)
  const cells = useMemo(() => {
    if (width === 0 || height === 0) return []
    const root = hierarchy<Node | Leaf>({ children: usageLeaves(usage) }, (d) =>
      'children' in d ? d.children : undefined
    )
      .sum((d) => ('bytes' in d ? d.bytes : 0))
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
    return treemap<Node | Leaf>().tile(treemapSquarify).size([width, height]).paddingInner(2).round(true)(root).leaves()
  }, [usage, width, height])

  return (
    <div className="treemap" ref={boxRef} data-testid="treemap">
      {cells.map((cell) => {
        const leaf = cell.data as Leaf
        const w = cell.x1 - cell.x0
        const h = cell.y1 - cell.y0
        const style = {
          left: cell.x0,
          top: cell.y0,
          width: w,
          height: h,
          '--shade': leaf.kind === 'image' ? leaf.shade : 0
        } as React.CSSProperties
        const label = w > 64 && h > 30
        const name = leafName(leaf)
        const bytesShown = label && h > 46
        const content = label && (
          <>
            <span className="tm-name">{name}</span>
            {bytesShown && <span className="tm-bytes">{formatBytes(leaf.bytes)}</span>}
          </>
        )
        if (leaf.kind === 'image') {
          return (
            <button
              key={leaf.id}
              type="button"
              className={`tm-cell tm-image${leaf.inUse ? ' tm-in-use' : ''}`}
              style={style}
              title={`${leaf.references.join(', ')}\n${formatBytes(leaf.bytes)} unique (${exactBytes(leaf.bytes)})${leaf.inUse ? '\nin use' : ''}`}
              onClick={() => openImage(leaf.references[0])}
            >
              {content}
              {/* The accessible name starts with what is visible, then says the rest. */}
              <span className="visually-hidden">
                {label ? ' — ' : `${name}: `}
                {bytesShown ? '' : `${formatBytes(leaf.bytes)} `}unique{leaf.inUse ? ', in use' : ''}.{' '}
                {leaf.references.join(', ')}. Open in the table.
              </span>
            </button>
          )
        }
        return (
          <div
            key={leaf.id}
            className={`tm-cell tm-${leaf.kind}`}
            style={style}
            title={`${name}: ${formatBytes(leaf.bytes)} (${exactBytes(leaf.bytes)})`}
          >
            {content}
          </div>
        )
      })}
    </div>
  )
}

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
              <span className="swatch tm-image" /> Image (unique bytes)
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
        <Treemap usage={usage} />
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
        <table className="kind-bars">
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
