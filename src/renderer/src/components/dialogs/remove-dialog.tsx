// Confirming a removal. Shows the plan (what goes, what stays, bytes freed). Removing an image a
// sandbox uses needs an explicit force confirmation that names the sandboxes and says what happens
// to their data. Focus starts on Cancel: the safe choice is the default.
import { useRef } from 'react'
import { useApp } from '../../store/app-store'
import type { ImageRow } from '../../store/rows'
import { formatBytes } from '../../../../shared/format'
import { plural, removeTitle } from '../common/format'
import { LongList } from '../common/long-list'
import { ModalDialog } from './modal-dialog'
import { OperationProgressBar } from './operation-progress'
import { PlanLists, PlanSummary } from './plan-view'

export function RemoveDialog() {
  const removal = useApp((s) => s.removal)
  const rows = useApp((s) => s.rows)
  const cancelRef = useRef<HTMLButtonElement>(null)
  if (!removal) return null
  const { references, force, plan, phase, error, errorCode } = removal
  const chosen = new Set(references)
  const inUse: ImageRow[] = rows.filter((r) => chosen.has(r.reference) && r.inUse)
  // msb 0.7.3+ homes: a snapshot pins for remove too; the plan is refused until force (which only untags).
  const snapshotPinned = inUse.length === 0 && !force && !plan && errorCode === 'ImageInUse' && phase === 'ready'
  const keptBySnapshot = force && inUse.length === 0 && (plan?.kept.some((k) => k.reason === 'snapshot') ?? false)
  const needsForce = inUse.length > 0 || snapshotPinned || keptBySnapshot
  const s = useApp.getState()
  const title = removeTitle(references)
  const inUseRefs = new Set(inUse.map((r) => r.reference))
  const free = references.filter((r) => !inUseRefs.has(r))
  const canConfirm = phase === 'ready' && plan !== null && (!needsForce || force)

  return (
    <ModalDialog
      title={title}
      onClose={() => s.closeRemove()}
      initialFocus={cancelRef}
      testId="remove-dialog"
      footer={
        <>
          <button
            ref={cancelRef}
            type="button"
            className="button"
            onClick={() => s.closeRemove()}
            disabled={phase === 'removing'}
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={!canConfirm}
            onClick={() => void s.confirmRemove()}
          >
            {phase === 'removing'
              ? 'Removing…'
              : `${force ? 'Force remove' : 'Remove'}${plan ? ` · free ${formatBytes(plan.totalBytes + (removal.flat ? (removal.flatPlan?.allocatedBytes ?? 0) : 0))}` : ''}`}
          </button>
        </>
      }
    >
      {references.length > 1 && (
        <LongList
          items={references}
          itemKey={(r) => r}
          render={(r) => r}
          className="mono-list chosen-list"
          label="Chosen images"
        />
      )}

      {(snapshotPinned || keptBySnapshot) && (
        <div className="callout callout-warning" data-testid="in-use-warning">
          <p>{snapshotPinned ? error : 'A snapshot depends on this image.'}</p>
          <label className="check-row">
            <input type="checkbox" checked={force} onChange={(e) => s.setRemoveForce(e.target.checked)} />
            <span>
              Untag it anyway. As msb 0.7.3 and later do, only the reference goes: the image&apos;s data, its metadata
              file included, stays while a sandbox or snapshot depends on it.
            </span>
          </label>
        </div>
      )}

      {inUse.length > 0 && (
        <div className="callout callout-warning" data-testid="in-use-warning">
          <p>
            <strong>
              {inUse.length === 1 ? `${inUse[0].reference} is in use` : `${plural(inUse.length, 'image')} are in use`}
            </strong>{' '}
            by{' '}
            {inUse
              .flatMap((r) => r.sandboxes)
              .map((sb, i, all) => (
                <span key={`${sb.id}-${i}`}>
                  sandbox <strong className="mono">{sb.name}</strong> ({sb.status}){i < all.length - 1 ? ', ' : ''}
                </span>
              ))}
            . msb refuses to remove it unless forced.
          </p>
          <label className="check-row">
            <input type="checkbox" checked={force} onChange={(e) => s.setRemoveForce(e.target.checked)} />
            <span>
              Remove the reference anyway. The sandbox keeps working: its image data stays held by the sandbox until the
              sandbox is gone, then a prune reclaims it.
            </span>
          </label>
          {free.length > 0 && (
            <p>
              <button type="button" className="button" onClick={() => s.openRemove(free)}>
                Skip images in use: remove the other {plural(free.length, 'image')}
              </button>
            </p>
          )}
        </div>
      )}

      {error && !snapshotPinned && !(needsForce && !force && errorCode === 'ImageInUse') && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {needsForce && !force && !plan && phase === 'ready' && (
        <p className="muted">Choose to remove it anyway to see exactly what goes.</p>
      )}
      {phase === 'planning' && (
        <p className="muted" aria-live="polite">
          Working out what this frees…
        </p>
      )}
      {removal.flatPlan && removal.flatPlan.artifacts.length > 0 && (
        <label className="check-row">
          <input
            type="checkbox"
            data-testid="remove-flat"
            checked={removal.flat}
            disabled={phase !== 'ready'}
            onChange={(e) => s.setRemoveFlat(e.target.checked)}
          />
          <span>
            Also delete{' '}
            {removal.flatPlan.artifacts.length === 1 ? 'its flat rootfs artifact' : 'their flat rootfs artifacts'} (
            {formatBytes(removal.flatPlan.allocatedBytes)} on disk; msb never deletes them). A sandbox keeps its own
            copy.
          </span>
        </label>
      )}
      {phase === 'removing' && <OperationProgressBar progress={removal.progress} label="Remove progress" />}
      {plan && (
        <>
          <PlanSummary plan={plan} />
          {force && plan.references.length > 0 && plan.files.length === 0 && plan.kept.length > 0 && (
            <p className="callout" data-testid="untag-only">
              Untag only: {plural(plan.references.length, 'reference')} {plan.references.length === 1 ? 'goes' : 'go'};
              no file is deleted while{' '}
              {plan.kept.map((k) => [...k.sandboxes.map((sb) => sb.name), ...k.snapshots].join(', ')).join(', ')}{' '}
              {plan.kept.length === 1 ? 'depends' : 'depend'} on it.
            </p>
          )}
          {plan.heldBy.length > 0 && (
            <p className="callout" data-testid="held-by">
              Held by {plan.heldBy.map((sb) => `${sb.name} (${sb.status})`).join(', ')}: the manifest and its layers
              stay until those sandboxes are removed.
            </p>
          )}
          <PlanLists plan={plan} />
        </>
      )}
    </ModalDialog>
  )
}
