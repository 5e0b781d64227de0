// Read-only banner: a cache written by a newer msb (unknown schema), or msb's install lease held.
// Remove and prune are disabled while it shows; browsing still works. A home that cannot be opened at
// all (a config.json msb refuses, a folder that does not exist) gets an error banner with the reason.
import { MSB_RELEASES } from '../../../../shared/msb-versions'
import { useApp } from '../../store/app-store'

export function Banner() {
  const status = useApp((s) => s.status)
  const disconnected = useApp((s) => s.disconnected)
  if (disconnected) {
    return (
      <div className="banner banner-error" role="status">
        <strong>Lost contact with the cache.</strong> Retrying… what you see may be out of date.
      </div>
    )
  }
  if (status?.problem) {
    return (
      <div className="banner banner-error" role="alert" data-testid="home-problem-banner">
        <strong>This home cannot be opened.</strong> {status.problem}
      </div>
    )
  }
  if (status?.writesThrough) {
    const msb = status.writesThrough
    return (
      <div className="banner banner-info" role="status" data-testid="writes-through-banner">
        <strong>Changes go through msb {msb.version ?? ''}.</strong> This cache uses a database schema this explorer
        does not know; the msb at <code>{msb.path}</code> (found through {msb.source}) knows it. Remove and prune are
        planned and previewed here, carried out by that msb, and its result is shown beside the preview.
      </div>
    )
  }
  if (!status || !status.readOnly || status.schema.kind === 'missing') return null
  const reason =
    status.schema.kind === 'unknown'
      ? `This cache uses a database schema this explorer does not know: ${status.readOnlyReason ?? status.schema.reason}. It was probably written by an msb newer than the releases this explorer knows (${MSB_RELEASES.map((r) => r.version).join(', ')}).`
      : (status.readOnlyReason ?? 'The cache cannot be changed right now.')
  return (
    <div className="banner banner-warning" role="status" data-testid="read-only-banner">
      <strong>Read-only.</strong> {reason} Browsing works; remove and prune are disabled.
    </div>
  )
}
