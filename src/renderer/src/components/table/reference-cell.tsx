// A reference as people read it: registry dimmed, repository bold, tag (or pinned digest) as a pill.
import type { ReferenceParts } from '../../../../shared/reference'
import { shortDigest } from '../../../../shared/format'

export function ReferenceName({ reference, parts }: { reference: string; parts: ReferenceParts }) {
  return (
    <span className="reference" title={reference}>
      <span className="reference-name">
        {parts.registry && <span className="reference-registry">{parts.registry}/</span>}
        <span className="reference-repository">{parts.repository}</span>
      </span>
      {parts.tag !== null && <span className="tag-pill">{parts.tag}</span>}
      {parts.digest !== null && (
        <span className="tag-pill tag-pill-digest" title={parts.digest}>
          @{shortDigest(parts.digest)}
        </span>
      )}
    </span>
  )
}
