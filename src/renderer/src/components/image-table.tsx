// The image list: a virtualised ARIA grid (10,000 rows stay smooth), sortable on every column, with
// checkboxes for bulk removal and full keyboard use. The grid itself holds focus and points at the
// active row with aria-activedescendant, so arrow keys never fight with the virtualiser.
//
// Rendering cost is kept to the rows in view: react-table gives the column model (visibility, headers)
// but its row model is never built (it would make an object per image on every sort or keystroke); the
// body reads `visible[index]` for the virtual items only. Scrolling re-renders just <GridBody> (the
// virtualiser's state lives there), and each row is a memoised <GridRow> whose props are primitives or
// stable objects, so a scroll frame renders only the rows that came into view, reusing the DOM of the
// rows that left (rows are keyed by slot). Rows have a fixed height.
import { getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react'
import { useApp, useWritable } from '../store/app-store'
import type { ImageRow } from '../store/rows'
import { columnMeta, IMAGE_COLUMNS, SELECT_COLUMN_ID, visibleColumnIds, type ColumnMeta } from './image-columns'
import { useSize } from './use-size'

/** Every row is exactly this tall (no measuring): the virtualiser's offsets are arithmetic. */
const ROW_HEIGHT = 40
const HEADER_HEIGHT = 34
/**
 * Rows rendered beyond each edge of the viewport (~20 are in view at 800 px). Kept at 12: the e2e
 * fixtures (29 images) rely on every row being in the DOM at 1280×800, and with memoised rows keyed by
 * slot a scroll frame still renders only the rows that came into view.
 */
const OVERSCAN = 12
const rowHeight = () => ROW_HEIGHT

export const IMAGE_GRID_ID = 'image-grid'

function SortIcon({ state }: { state: 'asc' | 'desc' | 'none' }) {
  return (
    <svg className={`sort-icon sort-${state}`} viewBox="0 0 10 12" aria-hidden="true">
      <path d="M5 1.5 8 5H2z" className="up" />
      <path d="M5 10.5 2 7h6z" className="down" />
    </svg>
  )
}

export function ImageTable() {
  const visible = useApp((s) => s.visible)
  const sorting = useApp((s) => s.sorting)
  const selected = useApp((s) => s.selected)
  const activeRef = useApp((s) => s.activeRef)
  const detailRef = useApp((s) => s.detailRef)
  const search = useApp((s) => s.search)
  const filter = useApp((s) => s.filter)
  const writable = useWritable()
  const scrollRef = useRef<HTMLDivElement | null>(null)
  // The body's virtualiser needs the element itself: a child's layout effects run before its parent's
  // ref is attached, so it gets the element as a prop once it exists.
  const [scrollElement, setScrollElement] = useState<HTMLDivElement | null>(null)
  const attachScroll = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el
    setScrollElement(el)
  }, [])
  const { width, height } = useSize(scrollRef)

  const columnVisibility = useMemo(() => visibleColumnIds(width, sorting.key), [width, sorting.key])
  const table = useReactTable({
    data: visible,
    columns: IMAGE_COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.reference,
    manualSorting: true,
    state: { columnVisibility }
  })
  const leafColumns = table.getVisibleLeafColumns()
  // One stable list per column set, so memoised rows are not re-rendered by a parent render.
  const columnsKey = leafColumns.map((c) => c.id).join(' ')
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => leafColumns, [columnsKey])
  const bodyColumns = useMemo(() => columns.map((c) => ({ id: c.id, meta: columnMeta(c) })), [columns])
  const gridTemplateColumns = useMemo(() => columns.map((c) => columnMeta(c).track).join(' '), [columns])
  const minWidth = columns.reduce((sum, c) => sum + columnMeta(c).minWidth, 0)

  const activeIndex = useMemo(() => (activeRef ? visible.findIndex((r) => r.reference === activeRef) : -1), [visible, activeRef])

  const selectedVisible = useMemo(() => {
    if (selected.size === 0) return 0
    let n = 0
    for (const r of visible) if (selected.has(r.reference)) n++
    return n
  }, [visible, selected])
  const allChecked = visible.length > 0 && selectedVisible === visible.length
  const someChecked = selectedVisible > 0 && !allChecked

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.target !== e.currentTarget) return
    const s = useApp.getState()
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1)
    switch (e.key) {
      case 'ArrowDown':
        s.moveActive(1)
        break
      case 'ArrowUp':
        s.moveActive(-1)
        break
      case 'PageDown':
        s.moveActive(page)
        break
      case 'PageUp':
        s.moveActive(-page)
        break
      case 'Home':
        s.moveActiveTo('first')
        break
      case 'End':
        s.moveActiveTo('last')
        break
      case 'Enter':
        if (s.activeRef) s.openDetail(s.activeRef)
        else s.moveActiveTo('first')
        break
      case ' ':
        if (s.activeRef) s.toggleSelected(s.activeRef, e.shiftKey)
        break
      case 'Delete':
      case 'Backspace': {
        if (!writable) break
        const refs = s.selected.size > 0 ? [...s.selected] : s.activeRef ? [s.activeRef] : []
        s.openRemove(refs)
        break
      }
      case 'a':
        if (!(e.ctrlKey || e.metaKey)) return
        s.setAllVisibleSelected(!allChecked)
        break
      default:
        return
    }
    e.preventDefault()
  }

  const emptyMessage =
    visible.length === 0
      ? search.trim()
        ? `No image matches “${search.trim()}”.`
        : filter === 'in-use'
          ? 'No image is in use by a sandbox or snapshot.'
          : filter === 'unused'
            ? 'Every image is in use.'
            : filter === 'dangling'
              ? 'No dangling references (untagged or without a manifest).'
              : 'No images.'
      : null

  return (
    <div className="table-wrap">
    <div
      ref={attachScroll}
      id={IMAGE_GRID_ID}
      className="image-grid"
      role="grid"
      aria-label="Cached images"
      aria-rowcount={visible.length + 1}
      aria-colcount={columns.length}
      aria-multiselectable="true"
      aria-activedescendant={activeIndex >= 0 ? `image-row-${activeIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="grid-inner" style={{ minWidth }}>
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row grid-head-row" style={{ gridTemplateColumns }}>
            {columns.map((column) => {
              const m = columnMeta(column)
              if (column.id === SELECT_COLUMN_ID) {
                return (
                  <div role="columnheader" key={column.id} className="cell cell-select">
                    <input
                      type="checkbox"
                      aria-label="Select all shown images"
                      checked={allChecked}
                      ref={(el) => {
                        if (el) el.indeterminate = someChecked
                      }}
                      disabled={visible.length === 0}
                      onChange={(e) => useApp.getState().setAllVisibleSelected(e.target.checked)}
                    />
                  </div>
                )
              }
              const state = sorting.key === m.sortKey ? (sorting.desc ? 'desc' : 'asc') : 'none'
              return (
                <div
                  role="columnheader"
                  key={column.id}
                  aria-sort={state === 'asc' ? 'ascending' : state === 'desc' ? 'descending' : 'none'}
                  className={`cell${m.align === 'end' ? ' cell-end' : ''}`}
                >
                  <button
                    type="button"
                    className={`sort-button${state !== 'none' ? ' sorted' : ''}`}
                    onClick={() => m.sortKey && useApp.getState().toggleSort(m.sortKey)}
                    title={m.help ? `${m.help}\nClick to sort.` : `Sort by ${m.label.toLowerCase()}`}
                  >
                    <span className={m.help ? 'header-help' : undefined}>{String(column.columnDef.header)}</span>
                    <SortIcon state={state} />
                  </button>
                </div>
              )
            })}
          </div>
        </div>
        <GridBody
          scrollElement={scrollElement}
          visible={visible}
          columns={bodyColumns}
          gridTemplateColumns={gridTemplateColumns}
          selected={selected}
          activeRef={activeRef}
          activeIndex={activeIndex}
          detailRef={detailRef}
        />
      </div>
    </div>
    {emptyMessage && (
      <div className="grid-empty" role="status">
        {emptyMessage}
      </div>
    )}
    </div>
  )
}

interface BodyColumn {
  id: string
  meta: ColumnMeta
}

interface GridBodyProps {
  scrollElement: HTMLDivElement | null
  visible: ImageRow[]
  columns: BodyColumn[]
  gridTemplateColumns: string
  selected: ReadonlySet<string>
  activeRef: string | null
  activeIndex: number
  detailRef: string | null
}

/** The virtualised rows. Owns the virtualiser, so a scroll frame re-renders this and nothing above it. */
const GridBody = memo(function GridBody({ scrollElement, visible, columns, gridTemplateColumns, selected, activeRef, activeIndex, detailRef }: GridBodyProps) {
  // Items are keyed by index (the default): rows have one fixed height, so there is no per-key size to
  // keep, and the virtualiser then rebuilds its 10,000 offsets only when the count changes — not on
  // every sort or render. React keys below are the references.
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollElement,
    estimateSize: rowHeight,
    overscan: OVERSCAN,
    // The rows start below the sticky header: offsets include it, and scrolling to a row keeps it
    // out from under the header.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT
  })

  // Keep the cursor in view when it moves (not on every refresh, so live updates never scroll).
  useEffect(() => {
    if (activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: 'auto' })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeRef])

  const items = virtualizer.getVirtualItems()
  return (
    <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
      {items.map((item) => {
        const row = visible[item.index]
        return (
          <GridRow
            // Keyed by slot, not by reference: the items in view are consecutive indices, so index mod
            // their count is unique. A row that scrolls out hands its DOM to the one scrolling in, and a
            // sort or search updates the rows in place instead of unmounting and creating them all.
            key={item.index % items.length}
            row={row}
            index={item.index}
            top={item.start - HEADER_HEIGHT}
            columns={columns}
            gridTemplateColumns={gridTemplateColumns}
            checked={selected.has(row.reference)}
            active={item.index === activeIndex}
            open={row.reference === detailRef}
          />
        )
      })}
    </div>
  )
})

interface GridRowProps {
  row: ImageRow
  index: number
  top: number
  columns: BodyColumn[]
  gridTemplateColumns: string
  checked: boolean
  active: boolean
  open: boolean
}

const stopPropagation = (e: ReactMouseEvent) => e.stopPropagation()

/** One row; re-renders only when its own props change (its position, check, cursor or open state). */
const GridRow = memo(function GridRow({ row, index, top, columns, gridTemplateColumns, checked, active, open }: GridRowProps) {
  const reference = row.reference
  let className = 'grid-row'
  if (active) className += ' active'
  if (checked) className += ' checked'
  if (open) className += ' open'
  return (
    <div
      role="row"
      id={`image-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={checked}
      data-reference={reference}
      className={className}
      style={{ gridTemplateColumns, transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={() => {
        useApp.getState().openDetail(reference)
        document.getElementById(IMAGE_GRID_ID)?.focus({ preventScroll: true })
      }}
    >
      {columns.map(({ id }) =>
        id === SELECT_COLUMN_ID ? (
          <div role="gridcell" key={id} className="cell cell-select" onClick={stopPropagation}>
            <input
              type="checkbox"
              tabIndex={-1}
              aria-label={`Select ${reference}`}
              checked={checked}
              onChange={(e) => {
                const native = e.nativeEvent as MouseEvent
                useApp.getState().toggleSelected(reference, native.shiftKey)
              }}
            />
          </div>
        ) : null
      )}
      <RowCells row={row} columns={columns} />
    </div>
  )
})

/** A row's data cells: depend on the row and the column set only (not on check, cursor or position). */
const RowCells = memo(function RowCells({ row, columns }: { row: ImageRow; columns: BodyColumn[] }) {
  return (
    <>
      {columns.map(({ id, meta }) =>
        id === SELECT_COLUMN_ID ? null : (
          <div role="gridcell" key={id} className={`cell${meta.align === 'end' ? ' cell-end' : ''} cell-${id}`}>
            {meta.render?.(row)}
          </div>
        )
      )}
    </>
  )
})
