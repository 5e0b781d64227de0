// What a deletion plan will do, shared by the remove and prune dialogs: bytes freed in total and by
// kind of file, then every reference, manifest, layer and file it lists, and what it keeps and why
// (images in use, and in a cache shared with other homes the files they may need).
import type { DeletionPlan, FileKind, RuleChoice } from '../../../../shared/contract'
import { keptWhy } from '../../../../shared/export-csv'
import { BytesText } from '../common/bytes-text'
import { formatBytes } from '../../../../shared/format'
import { formatCount, plural } from '../common/format'
import { LongList } from '../common/long-list'

const KIND_LABEL: Record<FileKind, string> = {
  layer: 'Layers (EROFS)',
  fsmeta: 'fsmeta',
  vmdk: 'vmdk',
  metadata: 'Metadata',
  flat: 'Flat rootfs',
  memory: 'Snapshot memory',
  deleting: 'Being deleted by msb',
  tmp: 'Temporary',
  lock: 'Lock files',
  other: 'Other'
}

export function kindLabel(kind: FileKind): string {
  return KIND_LABEL[kind]
}

function Section({
  title,
  count,
  children,
  open = false
}: {
  title: string
  count: number
  children: React.ReactNode
  open?: boolean
}) {
  if (count === 0) return null
  return (
    <details className="plan-section" open={open}>
      <summary>
        {title} <span className="count">{formatCount(count)}</span>
      </summary>
      {children}
    </details>
  )
}

export function PlanSummary({ plan }: { plan: DeletionPlan }) {
  const kinds = plan.bytesByKind.filter((k) => k.files > 0 || k.bytes > 0)
  return (
    <div className="plan-summary" data-testid="plan-summary">
      <div className="plan-total">
        <span className="plan-total-label">Frees</span>
        <span
          className="plan-total-bytes"
          data-testid="plan-total-bytes"
          data-bytes={plan.totalBytes}
          title={`${plan.totalBytes.toLocaleString('en-US')} bytes`}
        >
          {formatBytes(plan.totalBytes)}
        </span>
      </div>
      <ul className="plan-counts">
        <li data-testid="plan-count-references">{plural(plan.references.length, 'reference')}</li>
        <li data-testid="plan-count-manifests">{plural(plan.manifests.length, 'manifest')}</li>
        <li data-testid="plan-count-layers">{plural(plan.layers.length, 'layer')}</li>
        <li data-testid="plan-count-files">{plural(plan.files.length, 'file')}</li>
      </ul>
      {kinds.length > 0 && (
        <table className="kind-table">
          <caption className="visually-hidden">Bytes freed by kind of file</caption>
          <tbody>
            {kinds.map((k) => (
              <tr key={k.kind} data-kind={k.kind}>
                <th scope="row">{kindLabel(k.kind)}</th>
                <td>{plural(k.files, 'file')}</td>
                <td className="num">
                  <BytesText bytes={k.bytes} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.notes.map((note) => (
        <p key={note} className="plan-note" data-testid="plan-note">
          {note}
        </p>
      ))}
    </div>
  )
}

/** "held by sandbox web-1 (Running) until it is gone": what keeps the data of a reference that goes. */
function heldText(k: DeletionPlan['kept'][number]): string {
  const by = [...k.sandboxes.map((s) => `sandbox ${s.name} (${s.status})`), ...k.snapshots.map((s) => `snapshot ${s}`)]
  if (by.length === 0) return keptWhy(k)
  return `held by ${by.join(', ')} until ${by.length === 1 ? 'it is' : 'they are'} gone`
}

export function PlanLists({ plan }: { plan: DeletionPlan & { chosen?: RuleChoice[] } }) {
  const why = new Map((plan.chosen ?? []).map((c) => [c.reference, c.why.join('; ')]))
  // A forced removal lists the reference under References and its image under Kept: what stays there is
  // the data the sandbox holds, not the reference, so it is named as such.
  const going = new Set(plan.references)
  const byKind = new Map<FileKind, DeletionPlan['files']>()
  for (const f of plan.files) {
    const list = byKind.get(f.kind)
    if (list) list.push(f)
    else byKind.set(f.kind, [f])
  }
  return (
    <div className="plan-lists">
      <Section title="References" count={plan.references.length} open={plan.references.length <= 12}>
        <LongList
          items={plan.references}
          itemKey={(r) => r}
          render={(r) => (
            <span data-reference={r}>
              {r}
              {why.has(r) && <span className="muted plan-why"> — {why.get(r)}</span>}
            </span>
          )}
          className="mono-list"
          testId="plan-references"
          label="References"
        />
      </Section>
      <Section title="Manifests" count={plan.manifests.length}>
        <LongList
          items={plan.manifests}
          itemKey={(m) => m}
          render={(m) => <span title={m}>{m}</span>}
          className="mono-list"
          testId="plan-manifests"
          label="Manifests"
        />
      </Section>
      <Section title="Layers" count={plan.layers.length}>
        <LongList
          items={plan.layers}
          itemKey={(l) => l}
          render={(l) => l}
          className="mono-list"
          testId="plan-layers"
          label="Layers"
        />
      </Section>
      {[...byKind.entries()].map(([kind, files]) => (
        <Section key={kind} title={`${kindLabel(kind)} files`} count={files.length}>
          <LongList
            items={files}
            itemKey={(f) => f.path}
            render={(f) => (
              <>
                <code>{f.path}</code>
                <BytesText bytes={f.bytes} />
              </>
            )}
            className="file-list"
            testId={`plan-files-${kind}`}
            label={`${kindLabel(kind)} files`}
          />
        </Section>
      ))}
      <Section title="Files kept for other homes" count={plan.keptFiles.length} open={plan.keptFiles.length <= 8}>
        <ul className="file-list" data-testid="plan-kept-files">
          {plan.keptFiles.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>
              <BytesText bytes={f.bytes} />
              <span className="muted"> — {f.reason}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Kept" count={plan.kept.length} open={plan.kept.length <= 8}>
        <LongList
          items={plan.kept}
          itemKey={(k) => k.reference || (k.manifestDigest ?? '')}
          className="kept-list"
          testId="plan-kept"
          label="Kept"
          render={(k) =>
            going.has(k.reference) ? (
              <>
                <span>
                  the data of <span className="mono">{k.reference}</span>
                </span>
                <span className="muted">
                  {' — '}
                  {heldText(k)}
                </span>
              </>
            ) : (
              <>
                <span className="mono">{k.reference || k.manifestDigest}</span>
                <span className="muted">
                  {' — '}
                  {keptWhy(k)}
                </span>
              </>
            )
          }
        />
      </Section>
    </div>
  )
}
