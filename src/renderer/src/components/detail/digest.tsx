// A digest shown short (12 hex digits, monospace) with the full value on hover and a copy button.
import { CopyButton } from '../common/copy-button'
import { shortDigest } from '../../../../shared/format'

export function Digest({
  digest,
  label = 'digest',
  full = false,
  inGrid = false
}: {
  digest: string | null
  label?: string
  full?: boolean
  /** In a grid row: the copy button is not a tab stop (the grid is one). */
  inGrid?: boolean
}) {
  if (!digest) return <span className="muted">unknown</span>
  return (
    <span className="digest">
      <code title={digest} className={full ? 'digest-full' : undefined}>
        {full ? digest : shortDigest(digest)}
      </code>
      <CopyButton text={digest} label={label} tabbable={!inGrid} />
    </span>
  )
}
