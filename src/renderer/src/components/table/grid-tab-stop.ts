// The grid is one Tab stop (the WAI-ARIA grid pattern). The stop is either the grid element itself,
// whose cursor over the rows is aria-activedescendant (so arrows never fight with the virtualiser), or
// one control of the header row (a roving tabindex over the select-all box and the sort buttons). Only
// one of the two has tabIndex 0 at a time, so Tab enters the grid once and the next Tab leaves it;
// ArrowUp from the first row moves the stop into the header, ArrowDown brings it back to the rows.
import { useCallback, useState, type RefObject } from 'react'

/** The header row's focusable controls, in column order (grid-header.tsx marks each). */
const HEADER_CONTROLS = '[data-header-control]'

export interface GridTabStop {
  /** Whether the stop is in the header row (else it is the grid element, on the rows). */
  inHeader: boolean
  /** The header control that holds the stop when it is in the header. */
  headerIndex: number
  /** Moves focus (and the stop) to a header control: `index`, else the remembered one. */
  focusHeader: (index?: number) => void
  /** Moves focus (and the stop) back to the rows. */
  focusRows: () => void
  /** Called when a header control gets focus (by arrows, Tab or a click). */
  onHeaderFocus: (index: number) => void
  /** Called when the grid element itself gets focus. */
  onRowsFocus: () => void
}

function headerControls(grid: HTMLElement | null): HTMLElement[] {
  return grid ? [...grid.querySelectorAll<HTMLElement>(HEADER_CONTROLS)] : []
}

export function useGridTabStop(gridRef: RefObject<HTMLElement | null>): GridTabStop {
  const [inHeader, setInHeader] = useState(false)
  const [headerIndex, setHeaderIndex] = useState(0)

  const focusHeader = useCallback(
    (index?: number) => {
      const controls = headerControls(gridRef.current)
      if (controls.length === 0) return
      const wanted = Math.max(0, Math.min(controls.length - 1, index ?? headerIndex))
      // A disabled control (select-all with no rows) cannot take focus: the next one that can does.
      const target = controls.slice(wanted).find((c) => !c.matches(':disabled')) ?? controls[controls.length - 1]
      target.focus({ preventScroll: true })
    },
    [gridRef, headerIndex]
  )
  const focusRows = useCallback(() => gridRef.current?.focus({ preventScroll: true }), [gridRef])
  const onHeaderFocus = useCallback((index: number) => {
    setHeaderIndex(index)
    setInHeader(true)
  }, [])
  const onRowsFocus = useCallback(() => setInHeader(false), [])
  return { inHeader, headerIndex, focusHeader, focusRows, onHeaderFocus, onRowsFocus }
}
