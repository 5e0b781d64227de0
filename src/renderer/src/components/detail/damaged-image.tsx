// An image whose files are partly missing from the cache (a layer, its fsmeta or vmdk): msb still lists
// it but cannot start it. The table marks it, the detail pane says what is missing; removing it (and
// pulling it again) repairs it.
import { formatCount } from '../common/format'
export function DamagedBadge({ missing }: { missing: string[] }) {
  if (missing.length === 0) return null
  return (
    <span
      className="badge badge-damaged"
      data-testid="damaged-badge"
      title={`Missing from the cache:\n${missing.join('\n')}`}
    >
      Damaged
    </span>
  )
}

export function DamagedNotice({ missing }: { missing: string[] }) {
  if (missing.length === 0) return null
  const one = missing.length === 1
  return (
    <div className="banner banner-error" role="status" data-testid="damaged-image">
      <strong>Damaged.</strong> {one ? 'A file' : `${formatCount(missing.length)} files`} msb needs to start this image{' '}
      {one ? 'is' : 'are'} missing from the cache: <code>{missing.join(', ')}</code>. Remove the image (and pull it
      again).
    </div>
  )
}
