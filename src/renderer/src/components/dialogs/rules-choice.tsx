// The prune dialog's "Rules" choice: unused for, keep the last N of each repository, never remove what
// matches a pattern. Typing re-plans live (the store waits for a pause); the preview below lists each
// reference chosen with why, and the exact bytes freed.
import type { PrunePlan } from '../../../../shared/contract'
import { useApp } from '../../store/app-store'
import type { RulesDraft } from '../../store/rules-draft'
import { exactBytes, formatCount } from '../common/format'

export function RulesOption({ chosen, onChoose }: { chosen: boolean; onChoose: () => void }) {
  return (
    <label className={`scope-option${chosen ? ' chosen' : ''}`}>
      <input type="radio" name="prune-scope" value="rules" checked={chosen} onChange={onChoose} />
      <span>
        <strong>Rules</strong>
        <br />
        What has not been used for a while, beyond the last few of each repository, except what you protect.
      </span>
    </label>
  )
}

export function RulesInputs({ draft }: { draft: RulesDraft }) {
  const set = (patch: Partial<RulesDraft>) => useApp.getState().setPruneRules({ ...draft, ...patch })
  return (
    <div className="rules-inputs" data-testid="rules-inputs">
      <label>
        <span>Unused for more than</span>
        <input
          type="text"
          value={draft.unusedFor}
          placeholder="30d"
          spellCheck={false}
          onChange={(e) => set({ unusedFor: e.target.value })}
        />
        <small className="muted">12h, 30d, 2w; empty: any</small>
      </label>
      <label>
        <span>Keep the most recent, per repository</span>
        <input
          type="number"
          min={1}
          step={1}
          value={draft.keepLast}
          placeholder="none"
          onChange={(e) => set({ keepLast: e.target.value })}
        />
        <small className="muted">empty: no such rule</small>
      </label>
      <label className="rules-keep">
        <span>Never remove (patterns)</span>
        <input
          type="text"
          value={draft.keep}
          placeholder="docker.io/library/*  ghcr.io/acme/**"
          spellCheck={false}
          onChange={(e) => set({ keep: e.target.value })}
        />
        <small className="muted">separated by spaces; * stops at /, ** crosses it</small>
      </label>
    </div>
  )
}

/** References chosen, how long each has been unused and why, and the bytes freed to the byte. */
export function RulesPreview({ plan }: { plan: PrunePlan }) {
  const chosen = plan.chosen ?? []
  return (
    <div className="rules-preview" data-testid="rules-preview">
      <p className="lead" aria-live="polite">
        The rules choose <strong data-testid="rules-chosen-count">{formatCount(chosen.length)}</strong>{' '}
        {chosen.length === 1 ? 'reference' : 'references'}; pruning frees exactly{' '}
        <strong data-testid="rules-exact-bytes" data-bytes={plan.totalBytes}>
          {exactBytes(plan.totalBytes)}
        </strong>
        .
      </p>
      {chosen.length > 0 && (
        <table className="rules-chosen" data-testid="rules-chosen">
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {chosen.map((c) => (
              <tr key={c.reference} data-reference={c.reference}>
                <td className="mono">{c.reference}</td>
                <td>{c.why.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
