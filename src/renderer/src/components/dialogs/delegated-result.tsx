// What msb did on a home the explorer does not know (msb-delegation.ts), beside what the preview said.
import type { DelegatedOutcome } from '../../../../shared/contract'
import { formatBytes } from '../../../../shared/format'

export function DelegatedResult({ outcome }: { outcome: DelegatedOutcome }) {
  const { preview, actual } = outcome
  const rows: [string, string | number, string | number][] = [
    ['References', preview.references.length, actual.references.length],
    ['Manifests', preview.manifests, actual.manifests],
    ['Layers', preview.layers, actual.layers],
    ['Files', preview.files, actual.files],
    ['Bytes', formatBytes(preview.bytes), formatBytes(actual.bytes)]
  ]
  return (
    <div data-testid="delegated-result">
      <p>
        Done by msb {outcome.msb.version ?? ''} (<code>{outcome.msb.path}</code>, found through {outcome.msb.source}
        ): <code>msb {outcome.args.join(' ')}</code>
      </p>
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">Preview</th>
            <th scope="col">msb did</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, said, did]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{said}</td>
              <td>{did}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
