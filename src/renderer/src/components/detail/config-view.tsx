// The image config as msb stored it. Empty and unset fields are shown, not hidden, so "no CMD" is
// visibly different from "we did not load it": "—  (not set)" for null, "[] (empty)" for empty lists.
import type { ImageConfigDetail } from '../../../../shared/contract'
import { Digest } from './digest'

function NotSet() {
  return <span className="muted">— (not set)</span>
}

function Empty() {
  return <span className="muted">[] (empty)</span>
}

function Words({ words }: { words: string[] | null }) {
  if (words === null) return <NotSet />
  if (words.length === 0) return <Empty />
  return <code className="config-words">{JSON.stringify(words)}</code>
}

function Text({ value }: { value: string | null }) {
  if (value === null) return <NotSet />
  if (value === '') return <span className="muted">"" (empty)</span>
  return <code>{value}</code>
}

function splitEnv(entry: string): [string, string] {
  const eq = entry.indexOf('=')
  return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)]
}

function labelValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** KEY / value rows, for the environment and the labels. */
function KeyValueTable({ rows }: { rows: [string, string][] }) {
  return (
    <table className="kv-table">
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, value], i) => (
          <tr key={i}>
            <th scope="row">
              <code>{key}</code>
            </th>
            <td>{value === '' ? <span className="muted">(empty)</span> : <code>{value}</code>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function ConfigView({ config }: { config: ImageConfigDetail | null }) {
  if (!config) return <p className="muted">No config recorded for this image.</p>
  const labels = config.labels ? Object.entries(config.labels) : null
  const facts: [string, React.ReactNode][] = [
    ['Entrypoint', <Words words={config.entrypoint} />],
    ['Command', <Words words={config.cmd} />],
    ['Working dir', <Text value={config.workingDir} />],
    ['User', <Text value={config.user} />],
    ['Stop signal', <Text value={config.stopSignal} />],
    ['Config digest', config.digest ? <Digest digest={config.digest} label="config digest" /> : <NotSet />]
  ]
  return (
    <div className="config-view">
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>

      <h4 className="subheading">Environment</h4>
      {config.env.length === 0 ? (
        <p>
          <Empty />
        </p>
      ) : (
        <KeyValueTable rows={config.env.map(splitEnv)} />
      )}

      <h4 className="subheading">Labels</h4>
      {labels === null ? (
        <p>
          <NotSet />
        </p>
      ) : labels.length === 0 ? (
        <p>
          <span className="muted">{'{}'} (empty)</span>
        </p>
      ) : (
        <KeyValueTable rows={labels.map(([key, value]) => [key, labelValue(value)])} />
      )}
    </div>
  )
}
