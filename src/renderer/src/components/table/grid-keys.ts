// The grid's keys on the rows: the grid element holds focus and moves a cursor (aria-activedescendant)
// over the rows, so the whole body is one tab stop and arrows work inside it; ArrowUp from the first row
// (or with no row) moves into the header row.
import type { KeyboardEvent } from 'react'
import { useApp } from '../../store/app-store'
import { ROW_HEIGHT } from './grid-body'

export interface GridKeyContext {
  /** The grid's visible height, for PageUp/PageDown. */
  height: number
  writable: boolean
  allChecked: boolean
  /** Moves focus into the header row (ArrowUp from the first row). */
  toHeader: () => void
}

/** Handles a key pressed on the grid itself (not on a control inside it). */
export function onGridKeyDown(
  e: KeyboardEvent<HTMLDivElement>,
  { height, writable, allChecked, toHeader }: GridKeyContext
): void {
  if (e.target !== e.currentTarget) return
  const s = useApp.getState()
  const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1)
  switch (e.key) {
    case 'ArrowDown':
      s.moveActive(1)
      break
    case 'ArrowUp':
      if (s.visible.length === 0 || s.visible[0].reference === s.activeRef) toHeader()
      else s.moveActive(-1)
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
