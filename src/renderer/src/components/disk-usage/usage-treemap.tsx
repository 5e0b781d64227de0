// The disk-usage treemap: one level of the home at a time (usage-tree.ts), with a breadcrumb back up.
// Every tile does something: a registry, namespace, repository or run of names zooms in; an image opens in
// the table; "Shared layers" lists the images by shared bytes; "Other cache files" goes to the table
// of bytes by kind of file.
import { useMemo, useRef, useState } from 'react'
import type { CacheUsage } from '../../../../shared/contract'
import { formatBytes } from '../../../../shared/format'
import { useApp } from '../../store/app-store'
import { exactBytes, plural } from '../common/format'
import { layoutLevel, resolvePath, tileName, type UsageNode, usageTree } from './usage-tree'
import { useSize } from '../common/use-size'

export const KIND_TABLE_ID = 'usage-by-kind'
export const HOME_TABLE_ID = 'usage-whole-home'
export const FLAT_TABLE_ID = 'usage-flat'

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

function showKindTable(id = KIND_TABLE_ID) {
  const table = document.getElementById(id)
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
    case 'flat':
      return `Flat rootfs artifacts: ${formatBytes(node.bytes)} of ext4 images msb made for flat root disks and never deletes. Zoom in.`
    case 'flat-artifact':
      return `Flat rootfs of ${node.name}: ${formatBytes(node.bytes)}${node.why ? `, unused: ${node.why}` : ''}. Show the flat artifacts.`
    case 'held':
      return `${node.name}: ${formatBytes(node.bytes)} of an image no reference names any more; freed by ${node.freedBy}. Show the whole home.`
    case 'sandbox':
    case 'volume':
    case 'snapshot':
    case 'logs':
    case 'database':
    case 'home-other':
      return `${node.name}: ${formatBytes(node.bytes)}; ${node.freedBy ? `freed by ${node.freedBy}` : 'msb frees none of it'}. The explorer deletes nothing here. Show the whole home.`
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
    else if (node.kind === 'flat-artifact') showKindTable(FLAT_TABLE_ID)
    else if (!node.children) showKindTable(HOME_TABLE_ID)
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
            node.kind === 'registry' ||
            node.kind === 'namespace' ||
            node.kind === 'repository' ||
            node.kind === 'range' ||
            node.kind === 'area-group'
          const style = { left: x, top: y, width: w, height: h, '--shade': node.shade ?? 0 } as React.CSSProperties
          const kindClass =
            node.kind === 'image'
              ? `tm-image${node.inUse ? ' tm-in-use' : ''}`
              : node.areaKind
                ? `tm-${node.areaKind}`
                : group
                  ? 'tm-group'
                  : `tm-${node.kind}`
          return (
            <button
              key={node.id}
              type="button"
              className={`tm-cell ${kindClass}${label ? '' : ' tm-tiny'}`}
              style={style}
              data-kind={node.kind}
              title={`${node.kind === 'image' ? node.references!.join('\n') : node.name}\n${formatBytes(node.bytes)} (${exactBytes(node.bytes)})${node.freedBy ? `\nfreed by ${node.freedBy}` : ''}${node.why ? `\nunused: ${node.why}` : ''}`}
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
