// The image list: a virtualised ARIA grid (10,000 rows stay smooth), sortable on every column, with
// checkboxes for bulk removal and full keyboard use. The grid itself holds focus and points at the
// active row with aria-activedescendant, so arrow keys never fight with the virtualiser.
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react'
import { useApp, useWritable } from '../store/app-store'
import { columnMeta, IMAGE_COLUMNS, SELECT_COLUMN_ID, visibleColumnIds } from './image-columns'
import { useSize } from './use-size'

const ROW_HEIGHT = 40
const HEADER_HEIGHT = 34

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
  const scrollRef = useRef<HTMLDivElement>(null)
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
  const columns = table.getVisibleLeafColumns()
  const gridTemplateColumns = columns.map((c) => columnMeta(c).track).join(' ')
  const minWidth = columns.reduce((sum, c) => sum + columnMeta(c).minWidth, 0)
  const rows = table.getRowModel().rows

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // The rows start below the sticky header: offsets include it, and scrolling to a row keeps it
    // out from under the header.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index
  })

  const activeIndex = activeRef ? visible.findIndex((r) => r.reference === activeRef) : -1

  // Keep the cursor in view when it moves (not on every refresh, so live updates never scroll).
  useEffect(() => {
    if (activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: 'auto' })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeRef])

  const selectedVisible = visible.reduce((n, r) => n + (selected.has(r.reference) ? 1 : 0), 0)
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
      ref={scrollRef}
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
                    title={`Sort by ${m.label.toLowerCase()}`}
                  >
                    <span>{String(column.columnDef.header)}</span>
                    <SortIcon state={state} />
                  </button>
                </div>
              )
            })}
          </div>
        </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]
            const image = row.original
            const checked = selected.has(image.reference)
            const classes = ['grid-row']
            if (item.index === activeIndex) classes.push('active')
            if (checked) classes.push('checked')
            if (image.reference === detailRef) classes.push('open')
            return (
              <div
                role="row"
                key={row.id}
                id={`image-row-${item.index}`}
                aria-rowindex={item.index + 2}
                aria-selected={checked}
                data-reference={image.reference}
                className={classes.join(' ')}
                style={{ gridTemplateColumns, transform: `translateY(${item.start - HEADER_HEIGHT}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  useApp.getState().openDetail(image.reference)
                  scrollRef.current?.focus({ preventScroll: true })
                }}
              >
                {row.getVisibleCells().map((cell) => {
                  const m = columnMeta(cell.column)
                  if (cell.column.id === SELECT_COLUMN_ID) {
                    return (
                      <div role="gridcell" key={cell.id} className="cell cell-select" onClick={(e) => e.stopPropagation()}>
                        <input
                          type="checkbox"
                          tabIndex={-1}
                          aria-label={`Select ${image.reference}`}
                          checked={checked}
                          onChange={(e) => {
                            const native = e.nativeEvent as MouseEvent
                            useApp.getState().toggleSelected(image.reference, native.shiftKey)
                          }}
                        />
                      </div>
                    )
                  }
                  return (
                    <div role="gridcell" key={cell.id} className={`cell${m.align === 'end' ? ' cell-end' : ''} cell-${cell.column.id}`}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  )
                })}
              </div>
            )
          })}
        </div>
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
