// The image table's columns: what each shows, how wide it is, and which go first when space is short
// (the detail pane open at 1280 px leaves room for the essentials only).
import type { ColumnDef } from '@tanstack/react-table'
import type { ReactNode } from 'react'
import type { ImageRow, SortKey } from '../store/rows'
import { BytesText } from './bytes-text'
import { Digest } from './digest'
import { InUseBadge } from './in-use-badge'
import { DamagedBadge } from './damaged-image'
import { ReferenceName } from './reference-cell'
import { IdleText, TimeText } from './time-text'

/** A byte column before disk usage is measured: never a number that may be wrong. */
function Measuring() {
  return <span className="muted measuring">measuring</span>
}

export interface ColumnMeta {
  sortKey?: SortKey
  /** CSS grid track. */
  track: string
  /** Width the column needs, for deciding what fits. */
  minWidth: number
  /** Higher drops first when the table is narrow; 0 never drops. */
  dropOrder: number
  align?: 'end'
  label: string
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
      track: 'minmax(280px, 1fr)',
      minWidth: 280,
      dropOrder: 0,
      label: 'Reference'
    })
  },
  {
    id: 'digest',
    header: 'Digest',
    ...meta({
      render: (r) => <Digest digest={r.digest} label={`digest of ${r.reference}`} />,
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
      dropOrder: 0,
      align: 'end',
      label: 'Size'
    })
  },
  {
    id: 'unique',
    header: 'Unique',
    ...meta({
      render: (r) => (r.measured ? <BytesText bytes={r.uniqueBytes} className="strong-number" /> : <Measuring />),
      sortKey: 'unique',
      track: '92px',
      minWidth: 92,
      dropOrder: 0,
      align: 'end',
      label: 'Unique bytes'
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
      label: 'Shared bytes'
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
    id: 'created',
    header: 'Created',
    ...meta({
      render: (r) => <TimeText iso={r.createdAt} ms={r.createdMs} />,
      sortKey: 'created',
      track: '118px',
      minWidth: 118,
      dropOrder: 7,
      label: 'Created'
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
      track: 'minmax(150px, 200px)',
      minWidth: 150,
      dropOrder: 0,
      label: 'In use'
    })
  }
]

export function columnMeta(column: { columnDef: ColumnDef<ImageRow> }): ColumnMeta {
  return column.columnDef.meta as ColumnMeta
}

/**
 * Which columns fit in `width`: drop the least important (highest dropOrder) until the rest fit, then
 * give back any dropped column that fits again, most important first. The sorted column always stays.
 */
export function visibleColumnIds(width: number, keep?: SortKey): Record<string, boolean> {
  const visibility: Record<string, boolean> = {}
  if (width === 0) return visibility
  const available = width - 16
  const metas = IMAGE_COLUMNS.map((c) => ({ id: c.id as string, m: c.meta as ColumnMeta }))
  let total = metas.reduce((sum, c) => sum + c.m.minWidth, 0)
  const droppable = metas
    .filter((c) => c.m.dropOrder > 0 && c.m.sortKey !== keep)
    .sort((a, b) => b.m.dropOrder - a.m.dropOrder)
  const dropped: typeof droppable = []
  for (const c of droppable) {
    if (total <= available) break
    dropped.push(c)
    total -= c.m.minWidth
  }
  for (const c of [...dropped].reverse()) {
    if (total + c.m.minWidth <= available) total += c.m.minWidth
    else visibility[c.id] = false
  }
  return visibility
}
