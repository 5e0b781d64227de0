// A relative time ("3 days ago") with the exact local and UTC time on hover. Table cells pass `ms`
// (the row's timestamp, parsed once when the rows were built) so a render never parses a date.
import { memo } from 'react'
import { formatIdle } from '../../../../shared/retention'
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

/** How long since `ms` ("41 days"), the measure retention rules' unused-for compares with. */
export const IdleText = memo(function IdleText({ ms }: { ms: number | null }) {
  if (ms === null) return <span className="muted">—</span>
  return <span>{formatIdle(Math.max(0, Date.now() - ms))}</span>
})
