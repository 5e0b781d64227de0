// The grid's virtualised rows. Rows have one fixed height, so the virtualiser's offsets are arithmetic;
// each row is memoised and keyed by slot, so a scroll frame renders only the rows that came into view.
// Controls inside rows are not tab stops: the grid is (see grid-keys.ts).
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, type MouseEvent as ReactMouseEvent } from 'react'
import { useApp } from '../store/app-store'
import type { ImageRow } from '../store/rows'
import { type ColumnMeta, SELECT_COLUMN_ID } from './image-columns'

/** Every row is exactly this tall (no measuring): the virtualiser's offsets are arithmetic. */
export const ROW_HEIGHT = 40
export const HEADER_HEIGHT = 34
/**
 * Rows rendered beyond each edge of the viewport (~16 are in view at 800 px): enough that a quick
 * scroll or PageDown shows rows at once rather than blank space; with memoised rows keyed by slot a
 * scroll frame still renders only the rows that came into view.
 */
const OVERSCAN = 6
const rowHeight = () => ROW_HEIGHT

export const IMAGE_GRID_ID = 'image-grid'

export interface BodyColumn {
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
export const GridBody = memo(function GridBody({
  scrollElement,
  visible,
  columns,
  gridTemplateColumns,
  selected,
  activeRef,
  activeIndex,
  detailRef
}: GridBodyProps) {
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
const GridRow = memo(function GridRow({
  row,
  index,
  top,
  columns,
  gridTemplateColumns,
  checked,
  active,
  open
}: GridRowProps) {
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
