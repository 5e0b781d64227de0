// The image table's columns: what each shows, how wide it is, and which go first when space is short.
// What a person decides on stays in view at any width (Reference, Frees, In use): the other columns
// drop first, the sorted one and Size last, and the table never scrolls sideways while they can drop.
import type { ColumnDef } from '@tanstack/react-table'
import type { ReactNode } from 'react'
import type { ImageRow, SortKey } from '../../store/rows'
import { SIZE_TERMS } from '../../store/freed-note'
import { BytesText } from '../common/bytes-text'
import { FreedCell } from './freed-cell'
import { Digest } from '../detail/digest'
import { InUseBadge } from './in-use-badge'
import { IN_USE_MIN_WIDTH } from './in-use-width'
import { DamagedBadge } from '../detail/damaged-image'
import { ReferenceName } from './reference-cell'
import { IdleText, TimeText } from '../common/time-text'

/** A byte column before disk usage is measured: never a number that may be wrong. */
function Measuring() {
  return <span className="muted measuring">measuring</span>
}

export interface ColumnMeta {
  sortKey?: SortKey
  /** CSS grid track. */
  track: string
  /** Width the column needs to be worth showing, for deciding what fits. */
  minWidth: number
  /** How far the column may shrink once nothing else can drop (default: minWidth). */
  narrowest?: number
  /** Higher drops first when the table is narrow; 0 never drops. */
  dropOrder: number
  align?: 'end'
  label: string
  /** What the header explains on hover (size terms). */
  help?: string
  /** The cell's content for one row (the grid body renders only the rows in view, straight from this). */
  render?: (row: ImageRow) => ReactNode
}

export const SELECT_COLUMN_ID = 'select'

function meta(m: ColumnMeta) {
  const render = m.render
  return render ? { meta: m, cell: ({ row }: { row: { original: ImageRow } }) => render(row.original) } : { meta: m }
}

export const IMAGE_COLUMNS: ColumnDef<ImageRow>[] = [
  { id: SELECT_COLUMN_ID, ...meta({ track: '40px', minWidth: 40, dropOrder: 0, label: 'Select' }) },
  {
    id: 'reference',
    header: 'Reference',
    ...meta({
      render: (r) => (
        <>
          <ReferenceName reference={r.reference} parts={r.parts} />
          <DamagedBadge missing={r.missingFiles} />
        </>
      ),
      sortKey: 'reference',
      // Takes the room the other columns leave; they drop before it gets narrower than 240 px (a long
      // reference then loses its registry first, see reference-cell.css).
      track: 'minmax(160px, 1fr)',
      minWidth: 240,
      narrowest: 160,
      dropOrder: 0,
      label: 'Reference'
    })
  },
  {
    id: 'digest',
    header: 'Digest',
    ...meta({
      render: (r) => <Digest digest={r.digest} label={`digest of ${r.reference}`} inGrid />,
      sortKey: 'digest',
      track: '148px',
      minWidth: 148,
      dropOrder: 5,
      label: 'Digest'
    })
  },
  {
    id: 'size',
    header: 'Size',
    ...meta({
      render: (r) => <BytesText bytes={r.sizeBytes} />,
      sortKey: 'size',
      track: '88px',
      minWidth: 88,
      // The compressed download: the last to give way to what removal frees and who uses the image.
      dropOrder: 2,
      align: 'end',
      label: 'Size',
      help: SIZE_TERMS.size
    })
  },
  {
    id: 'freed',
    header: 'Frees',
    ...meta({
      render: (r) => (r.measured ? <FreedCell row={r} /> : <Measuring />),
      sortKey: 'freed',
      track: '92px',
      minWidth: 92,
      dropOrder: 0,
      align: 'end',
      label: 'Bytes freed if removed',
      help: SIZE_TERMS.freed
    })
  },
  {
    id: 'shared',
    header: 'Shared',
    ...meta({
      render: (r) => (r.measured ? <BytesText bytes={r.sharedBytes} /> : <Measuring />),
      sortKey: 'shared',
      track: '92px',
      minWidth: 92,
      dropOrder: 8,
      align: 'end',
      label: 'Shared bytes',
      help: SIZE_TERMS.shared
    })
  },
  {
    id: 'flat',
    header: 'Flat',
    ...meta({
      render: (r) => (r.measured ? <BytesText bytes={r.flatBytes} /> : <Measuring />),
      sortKey: 'flat',
      track: '84px',
      minWidth: 84,
      dropOrder: 11,
      align: 'end',
      label: 'Flat rootfs bytes on disk',
      help: 'Its flat rootfs artifact (cache/flat): the ext4 image msb made for flat root disks, on disk. msb never deletes it; remove or prune can.'
    })
  },
  {
    id: 'layers',
    header: 'Layers',
    ...meta({
      render: (r) => <span>{r.layerCount}</span>,
      sortKey: 'layers',
      track: '68px',
      minWidth: 68,
      dropOrder: 6,
      align: 'end',
      label: 'Layers'
    })
  },
  {
    id: 'platform',
    header: 'Platform',
    ...meta({
      render: (r) => (r.platform ? <span className="platform">{r.platform}</span> : <span className="muted">—</span>),
      sortKey: 'platform',
      track: '112px',
      minWidth: 112,
      dropOrder: 9,
      label: 'Platform'
    })
  },
  {
    // When the image was built (its config's `created`); dropped first, so it shows where there is room.
    id: 'built',
    header: 'Built',
    ...meta({
      render: (r) => <TimeText iso={r.builtAt} ms={r.builtMs} />,
      sortKey: 'built',
      track: '118px',
      minWidth: 118,
      dropOrder: 11,
      label: 'Built'
    })
  },
  {
    // msb's `created_at`: when this reference was pulled or loaded, not when the image was built.
    id: 'created',
    header: 'Pulled',
    ...meta({
      render: (r) => <TimeText iso={r.createdAt} ms={r.createdMs} />,
      sortKey: 'created',
      track: '118px',
      minWidth: 118,
      dropOrder: 7,
      label: 'Pulled'
    })
  },
  {
    id: 'lastUsed',
    header: 'Last used',
    ...meta({
      render: (r) => <TimeText iso={r.lastUsedAt} ms={r.lastUsedMs} />,
      sortKey: 'lastUsed',
      track: '118px',
      minWidth: 118,
      dropOrder: 4,
      label: 'Last used'
    })
  },
  {
    // Retention rules choose by it (prune --unused-for); dropped first, so it shows where there is room.
    id: 'unusedFor',
    header: 'Unused for',
    ...meta({
      render: (r) => <IdleText ms={r.lastUsedMs} />,
      sortKey: 'unusedFor',
      track: '104px',
      minWidth: 104,
      dropOrder: 10,
      align: 'end',
      label: 'Unused for'
    })
  },
  {
    id: 'inUse',
    header: 'In use',
    ...meta({
      render: (r) => <InUseBadge sandboxes={r.sandboxes} snapshots={r.snapshots} />,
      sortKey: 'inUse',
      // As wide as the widest label needs (in-use-width.ts): set by the table, see trackOf.
      track: `${IN_USE_MIN_WIDTH}px`,
      minWidth: IN_USE_MIN_WIDTH,
      dropOrder: 0,
      label: 'In use'
    })
  }
]

export function columnMeta(column: { columnDef: ColumnDef<ImageRow> }): ColumnMeta {
  return column.columnDef.meta as ColumnMeta
}

export const IN_USE_COLUMN_ID = 'inUse'

/** A column's grid track; the In use column's is the measured width of its labels. */
export function trackOf(id: string, meta: ColumnMeta, inUseWidth: number): string {
  return id === IN_USE_COLUMN_ID ? `${inUseWidth}px` : meta.track
}

export interface ColumnFit {
  /** Columns hidden at this width (react-table's column visibility). */
  visibility: Record<string, boolean>
  /** The shown columns' narrowest total: below it (only) the table scrolls sideways. */
  narrowest: number
}

/**
 * Which columns fit in `width` (the grid's client width, its scrollbar excluded): drop the least
 * important (highest dropOrder) until the rest fit, then give back any dropped column that fits again,
 * most important first. The sorted column drops last of all, after Size; Reference, Frees and In use
 * never drop (Reference shrinks to its narrowest instead).
 */
export function fitColumns(width: number, keep: SortKey | undefined, inUseWidth: number): ColumnFit {
  const visibility: Record<string, boolean> = {}
  const metas = IMAGE_COLUMNS.map((c) => {
    const m = c.meta as ColumnMeta
    const id = c.id as string
    const minWidth = id === IN_USE_COLUMN_ID ? inUseWidth : m.minWidth
    const dropOrder = m.dropOrder > 0 && m.sortKey === keep ? 1 : m.dropOrder
    return { id, minWidth, narrowest: m.narrowest ?? minWidth, dropOrder }
  })
  const narrowestOfShown = () => metas.reduce((sum, c) => (visibility[c.id] === false ? sum : sum + c.narrowest), 0)
  if (width === 0) return { visibility, narrowest: narrowestOfShown() }
  let total = metas.reduce((sum, c) => sum + c.minWidth, 0)
  const droppable = metas.filter((c) => c.dropOrder > 0).sort((a, b) => b.dropOrder - a.dropOrder)
  const dropped: typeof droppable = []
  for (const c of droppable) {
    if (total <= width) break
    dropped.push(c)
    total -= c.minWidth
  }
  for (const c of [...dropped].reverse()) {
    if (total + c.minWidth <= width) total += c.minWidth
    else visibility[c.id] = false
  }
  return { visibility, narrowest: narrowestOfShown() }
}
