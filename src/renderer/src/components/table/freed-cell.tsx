// The Frees column: what removing the row's reference frees, with why it is small when it is.
import { formatBytes } from '../../../../shared/format'
import { dataStays, freedNote } from '../../store/freed-note'
import type { ImageRow } from '../../store/rows'
import { exactBytes } from '../common/format'

export function FreedCell({ row }: { row: ImageRow }) {
  if (row.freedBytes === null) return <span className="muted">unknown</span>
  const note = freedNote(row)
  return (
    <span
      className={dataStays(row) ? 'freed-held' : 'strong-number'}
      data-testid="freed-bytes"
      data-bytes={row.freedBytes}
      title={`${exactBytes(row.freedBytes)} freed if removed${note ? `; ${note}` : ''}`}
    >
      {formatBytes(row.freedBytes)}
      {note && <span className="visually-hidden">, {note}</span>}
    </span>
  )
}
