// The grid's header row: select-all and one sort button per column, with the size terms explained on
// hover. The header is one tab stop (roving tabindex): arrows move between its controls.
import { type KeyboardEvent, useState } from 'react'
import type { Column } from '@tanstack/react-table'
import { useApp } from '../store/app-store'
import type { ImageRow, Sorting } from '../store/rows'
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
}

export function GridHeader({ columns, gridTemplateColumns, sorting, allChecked, someChecked, empty }: GridHeaderProps) {
  const [focusIndex, setFocusIndex] = useState(0)
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    const edge = e.key === 'Home' ? 'first' : e.key === 'End' ? 'last' : null
    if (!delta && !edge) return
    const controls = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-header-control]')]
    const at = controls.indexOf(document.activeElement as HTMLElement)
    const next =
      edge === 'first'
        ? 0
        : edge === 'last'
          ? controls.length - 1
          : Math.min(controls.length - 1, Math.max(0, at + delta))
    e.preventDefault()
    e.stopPropagation()
    setFocusIndex(next)
    controls[next]?.focus()
  }
  const tabIndexOf = (i: number) => (i === Math.min(focusIndex, columns.length - 1) ? 0 : -1)
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
                  onFocus={() => setFocusIndex(i)}
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
                onFocus={() => setFocusIndex(i)}
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
