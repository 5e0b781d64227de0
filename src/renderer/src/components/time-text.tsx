// A relative time ("3 days ago") with the exact local and UTC time on hover. Table cells pass `ms`
// (the row's timestamp, parsed once when the rows were built) so a render never parses a date.
import { memo } from 'react'
import { exactTime, relativeTime } from './format'

export const TimeText = memo(function TimeText({ iso, ms }: { iso: string | null; ms?: number | null }) {
  if (!iso) return <span className="muted">—</span>
  const at = ms ?? Date.parse(iso)
  return (
    <time dateTime={iso} title={exactTime(iso, at)}>
      {relativeTime(iso, Date.now(), at)}
    </time>
  )
})
