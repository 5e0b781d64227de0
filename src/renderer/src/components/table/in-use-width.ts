// How wide the In use column must be to show every row's badge and names uncut. The grid's rows are
// separate CSS grids sharing one template, so a track cannot size to content: the width is measured
// here, once per load, from the labels themselves, and bounded so a long list of sandbox names is cut
// (the cell's title has them all) rather than pushing the reference out.
import type { ImageRow } from '../../store/rows'
import { inUseNames } from './in-use-badge'

/** Narrowest: the header ("In use" and its sort icon) and the "—" of an unused image. */
export const IN_USE_MIN_WIDTH = 96
/** Widest: beyond this the names are cut with an ellipsis. */
export const IN_USE_MAX_WIDTH = 240

/** Text width in px for a CSS font shorthand. */
export type MeasureText = (text: string, font: string) => number

// Mirrors in-use-badge.css and image-table.css: cell padding 2 × 10 px, 6 px between badge and names,
// badge padding 2 × 7 px, the in-use dot 6 px plus its 5 px gap; 2 px for rounding.
const CELL_PADDING = 20
const BADGE_GAP = 6
const BADGE_PADDING = 14
const DOT = 11
const SLACK = 2

/** The width the In use cells of `rows` need, within IN_USE_MIN_WIDTH..IN_USE_MAX_WIDTH. */
export function inUseWidth(rows: readonly ImageRow[], measure: MeasureText = canvasMeasure): number {
  const family = fontFamily()
  const names = `400 12px ${family}`
  const badge = `600 11.5px ${family}`
  const inUseBadge = BADGE_PADDING + DOT + measure('In use', badge)
  const snapshotBadge = BADGE_PADDING + measure('Snapshot', badge)
  let widest = IN_USE_MIN_WIDTH
  const seen = new Set<string>()
  for (const row of rows) {
    if (row.sandboxes.length === 0 && row.snapshots.length === 0) continue
    const text = inUseNames(row.sandboxes, row.snapshots)
    const key = `${row.sandboxes.length > 0}${text}`
    if (seen.has(key)) continue
    seen.add(key)
    const width =
      CELL_PADDING +
      (row.sandboxes.length > 0 ? inUseBadge : snapshotBadge) +
      (text ? BADGE_GAP + measure(text, names) : 0) +
      SLACK
    if (width > widest) widest = width
    if (widest >= IN_USE_MAX_WIDTH) return IN_USE_MAX_WIDTH
  }
  return Math.ceil(widest)
}

function fontFamily(): string {
  if (typeof document === 'undefined') return 'sans-serif'
  return getComputedStyle(document.body).fontFamily || 'sans-serif'
}

let context: CanvasRenderingContext2D | null | undefined

/** Canvas text metrics; an estimate of 7 px a character where there is no canvas. */
function canvasMeasure(text: string, font: string): number {
  if (context === undefined)
    context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d')
  if (!context) return text.length * 7
  context.font = font
  return context.measureText(text).width
}
