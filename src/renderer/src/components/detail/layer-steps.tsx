// The build step behind a layer (`docker history`'s CREATED BY), shortened to one line; the full
// instruction as stored is on hover and one click away. Steps that made no layer (ENV, CMD, …) sit
// muted between the layers, where the build ran them.
import { useState } from 'react'
import type { HistoryStep, ImageHistory } from '../../../../shared/contract'
import { exactTime, relativeTime } from '../common/format'

export function StepText({ step }: { step: HistoryStep }) {
  const [open, setOpen] = useState(false)
  const full = step.createdBy ?? ''
  return (
    <button
      type="button"
      className={`step-text${open ? ' open' : ''}`}
      aria-expanded={open}
      title={full}
      onClick={() => setOpen(!open)}
    >
      <code>{open ? full : step.instruction || '(no instruction recorded)'}</code>
    </button>
  )
}

/** One muted line for a step that made no layer. */
export function EmptyStep({ step }: { step: HistoryStep }) {
  return (
    <li className="layer-empty-step" data-step={step.index}>
      <span className="layer-empty-label">no layer</span>
      <StepText step={step} />
    </li>
  )
}

/** Steps that made no layer, grouped by the layer they follow (-1: before the base). */
export function emptyStepsAfter(history: ImageHistory | null): Map<number, HistoryStep[]> {
  const after = new Map<number, HistoryStep[]>()
  if (history?.state !== 'matched') return after
  let last = -1
  for (const step of history.steps) {
    if (step.layer !== null) last = step.layer
    else after.set(last, [...(after.get(last) ?? []), step])
  }
  return after
}

/** Why the layers carry no steps, and, when the config lists steps it could not match, those steps. */
export function HistoryNote({ history }: { history: ImageHistory }) {
  if (history.state === 'matched') return null
  return (
    <div className="history-note">
      <p className="muted">{history.note}</p>
      {history.steps.length > 0 && (
        <details>
          <summary>Build steps in the config ({history.steps.length}, newest first)</summary>
          <ol className="history-steps">
            {[...history.steps].reverse().map((step) => (
              <li key={step.index} className={step.emptyLayer ? 'muted' : undefined}>
                <StepText step={step} />
                {step.created && (
                  <span className="history-created">
                    <span title={exactTime(step.created)}>{relativeTime(step.created)}</span>
                  </span>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  )
}

/** The step that made layer `position` (trimmed instruction), or null when it is not known. */
export function stepOfLayer(history: ImageHistory | null, reference: string, position: number): HistoryStep | null {
  if (!history || history.reference !== reference) return null
  const index = history.layerSteps[position]
  return index == null ? null : (history.steps[index] ?? null)
}

/** A step's instruction cut to `max` characters for one-line places (a select option). */
export function shortInstruction(step: HistoryStep, max = 48): string {
  const text = step.instruction
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
