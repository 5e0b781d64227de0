// A remove's or prune's progress while it runs: a determinate bar (files moved aside, then removed)
// and one line saying where it is, in the same words as the CLI.
import type { WriteProgress } from '../../../../shared/contract'
import { describeProgress, progressSteps } from '../../../../shared/progress-text'

export function OperationProgressBar({ progress, label }: { progress: WriteProgress | null; label: string }) {
  const steps = progress ? progressSteps(progress) : { done: 0, total: 1 }
  const text = progress ? describeProgress(progress) : 'Starting…'
  return (
    <div className="operation-progress" data-testid="operation-progress">
      <div
        className="operation-progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={steps.total}
        aria-valuenow={steps.done}
        aria-valuetext={text}
      >
        <div className="operation-progress-fill" style={{ width: `${(100 * steps.done) / steps.total}%` }} />
      </div>
      <p className="operation-progress-text muted" aria-live="polite">
        {text}
      </p>
    </div>
  )
}
