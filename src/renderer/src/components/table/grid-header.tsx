// The grid's header row: select-all and one sort button per column, with the size terms explained on
// hover. Its controls share the grid's one Tab stop (grid-tab-stop.ts): Left and Right move between
// them, Home and End to either end, ArrowDown back to the rows; Enter or Space sorts (native buttons).
import type { KeyboardEvent } from 'react'
import type { Column } from '@tanstack/react-table'
import { useApp } from '../../store/app-store'
import type { ImageRow, Sorting } from '../../store/rows'
import type { GridTabStop } from './grid-tab-stop'
import { columnMeta, SELECT_COLUMN_ID } from './image-columns'

function SortIcon({ state }: { state: 'asc' | 'desc' | 'none' }) {
  return (
    <svg className={`sort-icon sort-${state}`} viewBox="0 0 10 12" aria-hidden="true">
      <path d="M5 1.5 8 5H2z" className="up" />
      <path d="M5 10.5 2 7h6z" className="down" />
    </svg>
  )
}

interface GridHeaderProps {
  columns: Column<ImageRow, unknown>[]
  gridTemplateColumns: string
  sorting: Sorting
  allChecked: boolean
  someChecked: boolean
  empty: boolean
  tabStop: GridTabStop
}

export function GridHeader({
  columns,
  gridTemplateColumns,
  sorting,
  allChecked,
  someChecked,
  empty,
  tabStop
}: GridHeaderProps) {
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const last = columns.length - 1
    const at = tabStop.headerIndex
    let next: number | null = null
    if (e.key === 'ArrowRight') next = Math.min(last, at + 1)
    else if (e.key === 'ArrowLeft') next = Math.max(0, at - 1)
    else if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = last
    else if (e.key === 'ArrowDown') {
      // Down from the header is the first row (the grid pattern), wherever the cursor was before.
      useApp.getState().moveActiveTo('first')
      tabStop.focusRows()
    } else return
    e.preventDefault()
    e.stopPropagation()
    if (next !== null) tabStop.focusHeader(next)
  }
  // The header's share of the grid's single Tab stop: only while the stop is in the header, and never on
  // the select-all box while it is disabled (a disabled control cannot take focus).
  let stopIndex = Math.min(tabStop.headerIndex, columns.length - 1)
  if (empty && columns[stopIndex]?.id === SELECT_COLUMN_ID) stopIndex++
  const tabIndexOf = (i: number) => (tabStop.inHeader && i === stopIndex ? 0 : -1)
  return (
    <div role="rowgroup" className="grid-head">
      <div
        role="row"
        aria-rowindex={1}
        className="grid-row grid-head-row"
        style={{ gridTemplateColumns }}
        onKeyDown={onKeyDown}
      >
        {columns.map((column, i) => {
          const m = columnMeta(column)
          if (column.id === SELECT_COLUMN_ID) {
            return (
              <div role="columnheader" key={column.id} className="cell cell-select">
                <input
                  type="checkbox"
                  aria-label="Select all shown images"
                  data-header-control
                  tabIndex={tabIndexOf(i)}
                  onFocus={() => tabStop.onHeaderFocus(i)}
                  checked={allChecked}
                  ref={(el) => {
                    if (el) el.indeterminate = someChecked
                  }}
                  disabled={empty}
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
                data-header-control
                tabIndex={tabIndexOf(i)}
                onFocus={() => tabStop.onHeaderFocus(i)}
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
  )
}
