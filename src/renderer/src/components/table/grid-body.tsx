// The grid's virtualised rows. Rows have one fixed height, so the virtualiser's offsets are arithmetic;
// each row is memoised and keyed by slot, so a scroll frame renders only the rows that came into view.
// A row keeps its slot (its DOM) for as long as it stays rendered: see `slotCount`.
// Controls inside rows are not tab stops: the grid is (see grid-keys.ts).
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, type MouseEvent as ReactMouseEvent } from 'react'
import { useApp } from '../../store/app-store'
import type { ImageRow } from '../../store/rows'
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

/**
 * How many slots the rendered rows share: at least as many as can ever be rendered at once for this
 * viewport (the rows in view, one partly shown at each edge, and the overscan on both sides), so it
 * changes only when the viewport's height does. Keying by `index % slotCount` then gives every rendered
 * row a distinct key that stays the same while the row stays rendered. (Keyed by the number of rows
 * rendered right now instead, which changes as rows peek in and out at the edges, a row still in view
 * was handed another row's DOM: the checkbox a click had focused, or an element a click was aimed at,
 * suddenly belonged to another image.)
 */
function slotCount(viewportHeight: number, rendered: number): number {
  return Math.max(rendered, Math.ceil(viewportHeight / ROW_HEIGHT) + 2 + 2 * OVERSCAN)
}

interface GridBodyProps {
  scrollElement: HTMLDivElement | null
  /** The grid's inner height (its client height), which bounds how many rows are rendered at once. */
  viewportHeight: number
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
  viewportHeight,
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
  const slots = slotCount(viewportHeight, items.length)
  return (
    <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
      {items.map((item) => {
        const row = visible[item.index]
        return (
          <GridRow
            // Keyed by slot, not by reference: the items rendered are consecutive indices, no more than
            // `slots` of them, so index mod `slots` is unique, and a row keeps its key while it stays
            // rendered. A row that scrolls out hands its DOM to one scrolling in, and a sort or search
            // updates the rows in place instead of unmounting and creating them all.
            key={item.index % slots}
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
