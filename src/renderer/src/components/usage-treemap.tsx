// The disk-usage treemap: one level of the cache at a time (usage-tree.ts), with a breadcrumb back up.
// Every tile does something: a registry, namespace, repository or run of names zooms in; an image opens in
// the table; "Shared layers" lists the images by shared bytes; "Other cache files" goes to the table
// of bytes by kind of file.
import { useMemo, useRef, useState } from 'react'
import type { CacheUsage } from '../../../shared/contract'
import { formatBytes } from '../../../shared/format'
import { useApp } from '../store/app-store'
import { exactBytes, plural } from './format'
import { layoutLevel, resolvePath, tileName, type UsageNode, usageTree } from './usage-tree'
import { useSize } from './use-size'

export const KIND_TABLE_ID = 'usage-by-kind'

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

function showSharedLayers() {
  const s = useApp.getState()
  s.setFilter('all')
  s.setSearch('')
  if (s.sorting.key !== 'shared' || !s.sorting.desc) s.toggleSort('shared')
  s.setTab('images')
}

function showKindTable() {
  const table = document.getElementById(KIND_TABLE_ID)
  table?.scrollIntoView({ block: 'nearest' })
  table?.focus()
}

function describe(node: UsageNode): string {
  switch (node.kind) {
    case 'image':
      return `${node.references!.join(', ')}: ${formatBytes(node.bytes)} only this image uses${node.inUse ? ', in use' : ''}. Open in the table.`
    case 'shared':
      return `Shared layers: ${formatBytes(node.bytes)} of layers more than one image uses. List images by shared bytes.`
    case 'memory':
      return `Snapshot memory: ${formatBytes(node.bytes)} msb 0.7 keeps for snapshots; no prune frees it. Show bytes by kind of file.`
    case 'other':
      return `Other cache files: ${formatBytes(node.bytes)} (metadata, temporary and stray files). Show bytes by kind of file.`
    default:
      return `${node.name}: ${formatBytes(node.bytes)} in ${plural(node.images ?? 0, 'image')}. Zoom in.`
  }
}

export function UsageTreemap({ usage }: { usage: CacheUsage }) {
  const boxRef = useRef<HTMLDivElement>(null)
  const { width, height } = useSize(boxRef)
  const [path, setPath] = useState<string[]>([])
  const root = useMemo(() => usageTree(usage), [usage])
  // A live refresh builds a new tree; the path is kept by ids, as far as its groups still exist.
  const trail = useMemo(() => resolvePath(root, path), [root, path])
  const focus = trail[trail.length - 1]
  const tiles = useMemo(() => layoutLevel(focus, width, height), [focus, width, height])

  function activate(node: UsageNode) {
    if (node.kind === 'image') openImage(node.references![0])
    else if (node.kind === 'shared') showSharedLayers()
    else if (node.kind === 'other' || node.kind === 'memory') showKindTable()
    else
      setPath(
        trail
          .slice(1)
          .map((n) => n.id)
          .concat(node.id)
      )
  }

  return (
    <>
      <nav className="tm-trail" aria-label="Treemap level">
        {trail.map((node, i) =>
          i === trail.length - 1 ? (
            <span key={node.id} aria-current="location" className="tm-trail-here">
              {node.name} <span className="muted">{formatBytes(node.bytes)}</span>
            </span>
          ) : (
            <span key={node.id}>
              <button type="button" className="link-button" onClick={() => setPath(path.slice(0, i))}>
                {node.name}
              </button>
              <span aria-hidden="true" className="tm-trail-sep">
                ›
              </span>
            </span>
          )
        )}
      </nav>
      <div className="treemap" ref={boxRef} data-testid="treemap" data-level={focus.id}>
        {tiles.map(({ node, x, y, width: w, height: h }) => {
          const label = w >= 36 && h >= 18
          const bytesShown = label && h >= 44 && w >= 52
          const group =
            node.kind === 'registry' || node.kind === 'namespace' || node.kind === 'repository' || node.kind === 'range'
          const style = { left: x, top: y, width: w, height: h, '--shade': node.shade ?? 0 } as React.CSSProperties
          const kindClass =
            node.kind === 'image' ? `tm-image${node.inUse ? ' tm-in-use' : ''}` : group ? 'tm-group' : `tm-${node.kind}`
          return (
            <button
              key={node.id}
              type="button"
              className={`tm-cell ${kindClass}${label ? '' : ' tm-tiny'}`}
              style={style}
              data-kind={node.kind}
              title={`${node.kind === 'image' ? node.references!.join('\n') : node.name}\n${formatBytes(node.bytes)} (${exactBytes(node.bytes)})`}
              onClick={() => activate(node)}
            >
              {label && <span className="tm-name">{tileName(node)}</span>}
              {bytesShown && (
                <span className="tm-bytes">
                  {formatBytes(node.bytes)}
                  {group && node.images && w >= 140 ? ` · ${plural(node.images, 'image')}` : ''}
                </span>
              )}
              <span className="visually-hidden">{describe(node)}</span>
            </button>
          )
        })}
      </div>
    </>
  )
}
