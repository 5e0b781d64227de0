// The image list: a virtualised ARIA grid (10,000 rows stay smooth), sortable on every column, with
// checkboxes for bulk removal and full keyboard use. The grid is one Tab stop: on the rows the grid
// itself holds focus and points at the active row with aria-activedescendant, so arrow keys never fight
// with the virtualiser; ArrowUp from the first row moves into the header row (grid-tab-stop.ts).
//
// Rendering cost is kept to the rows in view: react-table gives the column model (visibility, headers)
// but its row model is never built (it would make an object per image on every sort or keystroke); the
// body reads `visible[index]` for the virtual items only. Scrolling re-renders just <GridBody> (the
// virtualiser's state lives there), and each row is a memoised <GridRow> whose props are primitives or
// stable objects, so a scroll frame renders only the rows that came into view, reusing the DOM of the
// rows that left (rows are keyed by slot). Rows have a fixed height.
import { getCoreRowModel, useReactTable } from '@tanstack/react-table'
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useApp, useWritable } from '../../store/app-store'
import { GridBody, IMAGE_GRID_ID } from './grid-body'
import { GridHeader } from './grid-header'
import { onGridKeyDown } from './grid-keys'
import { useGridTabStop } from './grid-tab-stop'
import { columnMeta, fitColumns, IMAGE_COLUMNS, trackOf } from './image-columns'
import { inUseWidth } from './in-use-width'
import { useSize } from '../common/use-size'

export { IMAGE_GRID_ID }

export function ImageTable() {
  const rows = useApp((s) => s.rows)
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
  const tabStop = useGridTabStop(scrollRef)

  // From every row, not the filtered ones: the column keeps its width while a search narrows the list.
  const inUse = useMemo(() => inUseWidth(rows), [rows])
  // A new order starts at its top: at 10,000 rows, staying at row 4,000 of the new order shows nothing useful.
  useEffect(() => {
    if (scrollElement) scrollElement.scrollTop = 0
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sorting])
  const fit = useMemo(() => fitColumns(width, sorting.key, inUse), [width, sorting.key, inUse])
  const columnVisibility = fit.visibility
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
  const gridTemplateColumns = useMemo(
    () => columns.map((c) => trackOf(c.id, columnMeta(c), inUse)).join(' '),
    [columns, inUse]
  )

  const activeIndex = useMemo(
    () => (activeRef ? visible.findIndex((r) => r.reference === activeRef) : -1),
    [visible, activeRef]
  )

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
    onGridKeyDown(e, { height, writable, allChecked, toHeader: () => tabStop.focusHeader() })
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
        tabIndex={tabStop.inHeader ? -1 : 0}
        onFocus={(e) => {
          if (e.target === e.currentTarget) tabStop.onRowsFocus()
        }}
        onKeyDown={onKeyDown}
      >
        <div className="grid-inner" style={{ minWidth: fit.narrowest }}>
          <GridHeader
            columns={columns}
            gridTemplateColumns={gridTemplateColumns}
            sorting={sorting}
            allChecked={allChecked}
            someChecked={someChecked}
            empty={visible.length === 0}
            tabStop={tabStop}
          />
          <GridBody
            scrollElement={scrollElement}
            viewportHeight={height}
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
