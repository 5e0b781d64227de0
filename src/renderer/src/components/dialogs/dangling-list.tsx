// The Dangling filter: exactly what "Prune dangling data" removes, one row per manifest no reference
// points to, layer no manifest uses and stray file, from the dangling prune's own decision (usage).
import type { DanglingItem } from '../../../../shared/contract'
import { formatBytes } from '../../../../shared/format'
import { useApp, useWritable } from '../../store/app-store'
import { BytesText } from '../common/bytes-text'
import { plural } from '../common/format'
import { LongList } from '../common/long-list'
import { kindLabel } from './plan-view'

const KIND_TEXT: Record<DanglingItem['kind'], string> = {
  manifest: 'Manifest, no reference',
  layer: 'Layer no other image uses',
  file: 'Stray file'
}

function summary(items: readonly DanglingItem[]): string {
  const count = (kind: DanglingItem['kind']) => items.filter((i) => i.kind === kind).length
  const parts = [
    [count('manifest'), 'manifest no reference points to', 'manifests no reference points to'],
    [count('layer'), 'layer no other image uses', 'layers no other image uses'],
    [count('file'), 'stray file', 'stray files']
  ] as const
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => plural(n, one, many))
    .join(', ')
}

export function DanglingList() {
  const usage = useApp((s) => s.usage)
  const writable = useWritable()
  const items = usage?.dangling ?? []
  if (items.length === 0) {
    return (
      <div className="dangling-view" data-testid="dangling-list">
        <p className="grid-empty-inline" role="status">
          No dangling data: every manifest has a reference, every layer a manifest, and there are no stray files.
        </p>
      </div>
    )
  }
  return (
    <div className="dangling-view" data-testid="dangling-list">
      <div className="dangling-head">
        <p>
          <strong>Dangling data</strong>: what nothing refers to, and exactly what a dangling prune removes:{' '}
          {summary(items)}.
        </p>
        <button
          type="button"
          className="button button-danger"
          disabled={!writable}
          onClick={() => useApp.getState().openPrune({ kind: 'dangling' })}
        >
          Prune dangling data · free {formatBytes(usage?.danglingBytes ?? 0)}…
        </button>
      </div>
      <LongList
        items={items}
        itemKey={(i) => `${i.kind}:${i.name}`}
        className="dangling-items"
        testId="dangling-items"
        label="Dangling data"
        render={(i) => (
          <span className="dangling-item" data-kind={i.kind} data-name={i.name}>
            <span className="dangling-kind">
              {i.kind === 'file' && i.fileKind ? `${KIND_TEXT.file} (${kindLabel(i.fileKind)})` : KIND_TEXT[i.kind]}
            </span>
            <code className="dangling-name" title={i.name}>
              {i.name}
            </code>
            <BytesText bytes={i.bytes} />
          </span>
        )}
      />
    </div>
  )
}
