// The virtualised file tree of the Files tab: only the rows in view are in the DOM, so 50,000 entries scroll as
// smoothly as 50. Keyboard as in the WAI-ARIA tree pattern: up/down move, right opens or steps in, left closes or
// steps out, Enter toggles, Home/End jump. The row under the cursor is described below the tree.
import { useVirtualizer } from '@tanstack/react-virtual'
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react'
import type { FileRow } from '../../../../shared/contract'
import { formatBytes } from '../../../../shared/format'
import { ancestorsOf, type FileTree, includedRows, type TreeFilter, visibleRows } from '../../store/file-tree'
import { exactBytes } from '../common/format'
import { modeString } from '../../../../shared/format'

const ROW_HEIGHT = 24

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function Marker({ row, layerView }: { row: FileRow; layerView: boolean }) {
  if (layerView && row.change) return <span className={`change change-${row.change}`}>{row.change}</span>
  return <span className="muted">#{row.layer}</span>
}

function RowDetails({ row, layerView }: { row: FileRow; layerView: boolean }) {
  return (
    <p className="file-details" data-testid="file-details">
      <code>{row.path}</code> · {row.type} · <code>{modeString(row)}</code> · {row.uid}:{row.gid} ·{' '}
      {row.type === 'dir' ? `${exactBytes(row.totalBytes ?? 0)} below` : exactBytes(row.size)}
      {row.target !== undefined && (
        <>
          {' '}
          · → <code>{row.target}</code>
        </>
      )}
      {row.nlink !== undefined && ` · ${row.nlink} hard links`}
      {layerView ? (row.change ? ` · ${row.change} in layer #${row.layer}` : '') : ` · from layer #${row.layer}`}
    </p>
  )
}

/** A path to show: its ancestors are opened and it becomes the active row (`seq` repeats a request). */
export interface RevealRequest {
  path: string
  seq: number
}

export function FileTreeView({
  tree,
  filter,
  layerView,
  reveal
}: {
  tree: FileTree
  filter: TreeFilter
  layerView: boolean
  reveal: RevealRequest | null
}) {
  const [toggled, setToggled] = useState<ReadonlySet<number>>(new Set())
  const [active, setActive] = useState<number | null>(null)
  const [scrollPending, setScrollPending] = useState(false)
  const scroller = useRef<HTMLDivElement>(null)

  const { search, changesOnly } = filter
  // A new answer or a new filter starts from a fresh expansion.
  useEffect(() => {
    setToggled(new Set())
    setActive(null)
  }, [tree, search, changesOnly])

  // Runs after the reset above (effects run in order), so a reveal that also cleared the filter wins.
  useEffect(() => {
    if (!reveal) return
    const i = tree.rows.findIndex((r) => r.path === reveal.path)
    if (i < 0) return
    setToggled(new Set(ancestorsOf(tree, i)))
    setActive(i)
    setScrollPending(true)
  }, [reveal, tree])

  const included = useMemo(() => includedRows(tree, { search, changesOnly }), [tree, search, changesOnly])
  const visible = useMemo(() => visibleRows(tree, included, toggled), [tree, included, toggled])
  const position = useMemo(() => new Map(visible.map((row, i) => [row, i])), [visible])

  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  })

  useEffect(() => {
    if (!scrollPending || active === null) return
    const p = position.get(active)
    if (p !== undefined) virtualizer.scrollToIndex(p, { align: 'center' })
    setScrollPending(false)
  }, [scrollPending, active, position, virtualizer])

  const isOpen = (i: number) => (included ? !toggled.has(i) : toggled.has(i))
  const toggle = (i: number) => {
    const next = new Set(toggled)
    if (next.has(i)) next.delete(i)
    else next.add(i)
    setToggled(next)
  }
  const moveTo = (i: number) => {
    setActive(i)
    const p = position.get(i)
    if (p !== undefined) virtualizer.scrollToIndex(p, { align: 'auto' })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (visible.length === 0) return
    const cur = active !== null && position.has(active) ? active : visible[0]
    const p = position.get(cur)!
    const row = tree.rows[cur]
    const hasKids = tree.children[cur].length > 0
    let handled = true
    switch (event.key) {
      case 'ArrowDown':
        moveTo(visible[Math.min(visible.length - 1, active === null ? 0 : p + 1)])
        break
      case 'ArrowUp':
        moveTo(visible[Math.max(0, p - 1)])
        break
      case 'Home':
        moveTo(visible[0])
        break
      case 'End':
        moveTo(visible[visible.length - 1])
        break
      case 'ArrowRight':
        if (row.type === 'dir' && hasKids && !isOpen(cur)) toggle(cur)
        else if (hasKids && isOpen(cur) && visible[p + 1] !== undefined) moveTo(visible[p + 1])
        break
      case 'ArrowLeft':
        if (hasKids && isOpen(cur)) toggle(cur)
        else if (tree.parent[cur] >= 0) moveTo(tree.parent[cur])
        break
      case 'Enter':
      case ' ':
        if (hasKids) toggle(cur)
        setActive(cur)
        break
      default:
        handled = false
    }
    if (handled) event.preventDefault()
  }

  const activeRow = active !== null ? tree.rows[active] : undefined
  return (
    <>
      <div
        ref={scroller}
        className="file-tree"
        role="tree"
        aria-label="Files"
        tabIndex={0}
        aria-activedescendant={active !== null && position.has(active) ? `file-row-${active}` : undefined}
        onKeyDown={onKeyDown}
        data-rows={visible.length}
      >
        {visible.length === 0 && <p className="muted file-tree-empty">No path matches.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const i = visible[item.index]
            const row = tree.rows[i]
            const hasKids = tree.children[i].length > 0
            const open = hasKids && isOpen(i)
            return (
              <div
                key={i}
                id={`file-row-${i}`}
                role="treeitem"
                aria-level={tree.depth[i] + 1}
                aria-expanded={hasKids ? open : undefined}
                aria-selected={active === i}
                data-path={row.path}
                className={`file-row${active === i ? ' active' : ''}${row.change === 'deleted' ? ' deleted' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  setActive(i)
                  if (hasKids) toggle(i)
                }}
              >
                <span className="file-name" style={{ paddingLeft: tree.depth[i] * 14 }}>
                  <span className={`twisty${hasKids ? '' : ' leaf'}${open ? ' open' : ''}`} aria-hidden="true" />
                  <span className={`file-icon type-${row.type}`} aria-hidden="true" />
                  {nameOf(row.path)}
                  {row.target !== undefined && <span className="muted"> → {row.target}</span>}
                </span>
                <span className="file-size" title={exactBytes(row.type === 'dir' ? (row.totalBytes ?? 0) : row.size)}>
                  {formatBytes(row.type === 'dir' ? (row.totalBytes ?? 0) : row.size)}
                </span>
                <span className="file-mark">
                  <Marker row={row} layerView={layerView} />
                </span>
              </div>
            )
          })}
        </div>
      </div>
      {activeRow && <RowDetails row={activeRow} layerView={layerView} />}
    </>
  )
}
