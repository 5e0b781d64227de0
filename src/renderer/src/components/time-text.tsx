// A relative time ("3 days ago") with the exact local and UTC time on hover.
import { exactTime, relativeTime } from './format'

export function TimeText({ iso }: { iso: string | null }) {
  if (!iso) return <span className="muted">—</span>
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso)}
    </time>
  )
}
