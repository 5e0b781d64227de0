// Prune with an exact preview. Choose msb's prune (every image no sandbox or snapshot uses), only
// dangling data, or retention rules; see every file it will delete and the images it keeps (and save
// that as JSON or CSV); after confirming, msb's report is shown next to the preview, with any
// difference spelled out.
import { useRef } from 'react'
import type { FlatPlan, FlatReclaimResult, ImagePruneReport, PrunePlan } from '../../../../shared/contract'
import { useApp, useWritable } from '../../store/app-store'
import { formatBytes } from '../../../../shared/format'
import { exactBytes } from '../common/format'
import { DelegatedResult } from './delegated-result'
import { ModalDialog } from './modal-dialog'
import { OperationProgressBar } from './operation-progress'
import { PlanLists, PlanSummary } from './plan-view'
import { RulesInputs, RulesOption, RulesPreview } from './rules-choice'
import { SaveButtons } from '../table/save-buttons'
import { planCsv } from '../../../../shared/export-csv'

const NOTHING: Record<PrunePlan['scope']['kind'], string> = {
  unused: 'the cache holds no unused image',
  dangling: 'the cache holds no dangling data',
  images: 'the chosen images are in use',
  rules: 'the rules choose no reference'
}

function planned(plan: PrunePlan, kind: 'fsmeta' | 'vmdk'): number {
  return plan.files.filter((f) => f.kind === kind).length
}

function ReportTable({ plan, report }: { plan: PrunePlan | null; report: ImagePruneReport }) {
  const rows: [string, number | null, number | null, string][] = [
    ['Image references', plan ? plan.references.length : null, report.imageRefsRemoved, 'imageRefsRemoved'],
    ['Manifests', plan ? plan.manifests.length : null, report.manifestsRemoved, 'manifestsRemoved'],
    ['Layers', plan ? plan.layers.length : null, report.layersRemoved, 'layersRemoved'],
    ['fsmeta files', plan ? planned(plan, 'fsmeta') : null, report.fsmetaRemoved, 'fsmetaRemoved'],
    ['vmdk files', plan ? planned(plan, 'vmdk') : null, report.vmdkRemoved, 'vmdkRemoved']
  ]
  return (
    <table className="report-table" data-testid="prune-report">
      <thead>
        <tr>
          <th scope="col">Removed</th>
          <th scope="col" className="num">
            Preview
          </th>
          <th scope="col" className="num">
            Report
          </th>
          <th scope="col">
            <span className="visually-hidden">Match</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, expected, actual, key]) => (
          <tr key={key} data-field={key}>
            <th scope="row">{label}</th>
            <td className="num">{expected ?? '—'}</td>
            <td className="num" data-value={actual}>
              {actual}
            </td>
            <td>
              {expected === null ? (
                ''
              ) : expected === actual ? (
                <span className="ok">✓</span>
              ) : (
                <span className="warn">differs</span>
              )}
            </td>
          </tr>
        ))}
        <tr data-field="bytesReclaimed">
          <th scope="row">Bytes reclaimed</th>
          <td className="num" title={plan ? exactBytes(plan.totalBytes) : undefined}>
            {plan ? formatBytes(plan.totalBytes) : '—'}
          </td>
          <td className="num" data-value={report.bytesReclaimed ?? ''} title={exactBytes(report.bytesReclaimed)}>
            {report.bytesReclaimed === null ? 'none' : formatBytes(report.bytesReclaimed)}
          </td>
          <td>
            {plan === null ? (
              ''
            ) : (report.bytesReclaimed ?? 0) === plan.totalBytes ? (
              <span className="ok">✓</span>
            ) : (
              <span className="warn">differs</span>
            )}
          </td>
        </tr>
      </tbody>
    </table>
  )
}

/** The flat-artifact choice: off by default, with its own bytes and what each artifact is. */
function FlatChoice({ plan, on, disabled }: { plan: FlatPlan | null; on: boolean; disabled: boolean }) {
  const count = plan?.artifacts.length ?? 0
  return (
    <fieldset className="scope-choice flat-choice" disabled={disabled || count === 0}>
      <legend>Flat rootfs artifacts</legend>
      <label className={`scope-option${on ? ' chosen' : ''}`}>
        <input
          type="checkbox"
          data-testid="prune-flat"
          checked={on && count > 0}
          onChange={(e) => useApp.getState().setPruneFlat(e.target.checked)}
        />
        <span>
          <strong>Also delete unused flat rootfs artifacts</strong>{' '}
          <span className="muted">— beyond msb, which never deletes them</span>
          <br />
          {plan === null ? (
            'Looking for them…'
          ) : count === 0 ? (
            'None is unused.'
          ) : (
            <span data-testid="prune-flat-bytes" data-bytes={plan.allocatedBytes}>
              {count === 1 ? '1 artifact' : `${count} artifacts`}: frees{' '}
              <strong title={exactBytes(plan.allocatedBytes)}>{formatBytes(plan.allocatedBytes)}</strong> on disk (
              {formatBytes(plan.logicalBytes)} long; the ext4 images are sparse). Skipped, and said, while msb uses one.
            </span>
          )}
        </span>
      </label>
      {count > 0 && (
        <ul className="flat-list small">
          {plan!.artifacts.map((a) => (
            <li key={a.refPath ?? a.blobPath}>
              <code>{a.refPath ?? a.blobPath}</code> {formatBytes(a.reclaimAllocatedBytes)}: {a.why}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  )
}

function FlatReport({ plan, result }: { plan: FlatPlan | null; result: FlatReclaimResult }) {
  const same = plan !== null && plan.allocatedBytes === result.freedAllocatedBytes
  return (
    <div data-testid="prune-flat-report">
      <p>
        Flat rootfs artifacts: freed{' '}
        <strong data-bytes={result.freedAllocatedBytes}>{formatBytes(result.freedAllocatedBytes)}</strong> on disk
        {plan ? ` (preview ${formatBytes(plan.allocatedBytes)})` : ''}{' '}
        {same ? <span className="ok">✓</span> : <span className="warn">differs</span>}
      </p>
      {(result.skipped.length > 0 || result.notes.length > 0) && (
        <ul>
          {result.skipped.map((x) => (
            <li key={x.path}>
              Skipped <code>{x.path}</code>: {x.why}
            </li>
          ))}
          {result.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function PruneDialog() {
  const pruning = useApp((s) => s.pruning)
  const writable = useWritable()
  const cancelRef = useRef<HTMLButtonElement>(null)
  if (!pruning) return null
  const { scope, rulesDraft, plan, phase, error, result, flat, flatPlan, flatResult } = pruning
  const s = useApp.getState()
  const flatChosen = flat && (flatPlan?.artifacts.length ?? 0) > 0
  const flatBytes = flatChosen ? (flatPlan?.allocatedBytes ?? 0) : 0
  const imagesEmpty =
    plan !== null &&
    plan.files.length === 0 &&
    plan.references.length === 0 &&
    plan.manifests.length === 0 &&
    plan.layers.length === 0
  const empty = imagesEmpty && !flatChosen

  if (phase === 'done' && result) {
    return (
      <ModalDialog
        title="Prune finished"
        onClose={() => s.closePrune()}
        testId="prune-dialog"
        wide
        footer={
          <button type="button" className="button button-primary" onClick={() => s.closePrune()}>
            Done
          </button>
        }
      >
        <p className="lead">
          {result.report.bytesReclaimed === null
            ? 'No file was removed.'
            : `Reclaimed ${formatBytes(result.report.bytesReclaimed)}.`}
        </p>
        {result.delegated ? (
          <DelegatedResult outcome={result.delegated} />
        ) : (
          <ReportTable plan={plan} report={result.report} />
        )}
        {flatResult && <FlatReport plan={flatPlan} result={flatResult} />}
        {result.differences.length === 0 ? (
          <p className="ok-line" data-testid="prune-no-differences">
            Everything matched the preview.
          </p>
        ) : (
          <div className="callout callout-warning" data-testid="prune-differences">
            <p>
              <strong>Differences from the preview</strong>
            </p>
            <ul>
              {result.differences.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          </div>
        )}
      </ModalDialog>
    )
  }

  return (
    <ModalDialog
      title="Prune the image cache"
      onClose={() => s.closePrune()}
      initialFocus={cancelRef}
      testId="prune-dialog"
      wide
      footer={
        <>
          <button
            ref={cancelRef}
            type="button"
            className="button"
            onClick={() => s.closePrune()}
            disabled={phase === 'pruning'}
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={!writable || phase !== 'ready' || !plan || empty}
            onClick={() => void s.confirmPrune()}
          >
            {phase === 'pruning'
              ? 'Pruning…'
              : empty
                ? 'Nothing to prune'
                : `Prune · free ${plan ? formatBytes(plan.totalBytes + flatBytes) : '…'}`}
          </button>
        </>
      }
    >
      <fieldset className="scope-choice" disabled={phase === 'pruning'}>
        <legend>What to prune</legend>
        <label className={`scope-option${scope.kind === 'unused' ? ' chosen' : ''}`}>
          <input
            type="radio"
            name="prune-scope"
            value="unused"
            checked={scope.kind === 'unused'}
            onChange={() => s.setPruneScope({ kind: 'unused' })}
          />
          <span>
            <strong>Unused images</strong>{' '}
            <span className="muted">
              — what <code>msb image prune</code> does
            </span>
            <br />
            Every image no sandbox or snapshot uses, with the layers only they need.
          </span>
        </label>
        <label className={`scope-option${scope.kind === 'dangling' ? ' chosen' : ''}`}>
          <input
            type="radio"
            name="prune-scope"
            value="dangling"
            checked={scope.kind === 'dangling'}
            onChange={() => s.setPruneScope({ kind: 'dangling' })}
          />
          <span>
            <strong>Dangling data only</strong>
            <br />
            Keeps every image reference; removes what nothing refers to: manifests no reference points to, layers no
            manifest uses, stray files.
          </span>
        </label>
        <RulesOption chosen={scope.kind === 'rules'} onChoose={() => s.setPruneScope({ kind: 'rules', rules: {} })} />
      </fieldset>
      {scope.kind === 'rules' && <RulesInputs draft={rulesDraft} />}
      <FlatChoice plan={flatPlan} on={flat} disabled={phase === 'pruning'} />

      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {phase === 'planning' && (
        <p className="muted" aria-live="polite">
          Working out what this frees…
        </p>
      )}
      {phase === 'pruning' && <OperationProgressBar progress={pruning.progress} label="Prune progress" />}
      {plan && (
        <>
          {plan.scope.kind === 'rules' && <RulesPreview plan={plan} />}
          {imagesEmpty ? (
            <p className="lead">Nothing to prune: {NOTHING[plan.scope.kind]}.</p>
          ) : (
            <PlanSummary plan={plan} />
          )}
          <p className="plan-save">
            <SaveButtons name="prune-preview" json={() => plan} csv={() => planCsv(plan)} />
          </p>
          <PlanLists plan={plan} />
        </>
      )}
    </ModalDialog>
  )
}
