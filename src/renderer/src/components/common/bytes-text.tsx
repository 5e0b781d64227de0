// A human size with the exact byte count on hover; "unknown" when the cache does not say.
import { formatBytes } from '../../../../shared/format'
import { exactBytes } from './format'

export function BytesText({ bytes, className }: { bytes: number | null | undefined; className?: string }) {
  if (bytes === null || bytes === undefined) return <span className="muted">unknown</span>
  return (
    <span className={className} title={exactBytes(bytes)}>
      {formatBytes(bytes)}
    </span>
  )
}
