// The image config as msb stored it. Empty and unset fields are shown, not hidden, so "no CMD" is
// visibly different from "we did not load it": "—  (not set)" for null, "[] (empty)" for empty lists.
import type { ImageConfigDetail } from '../../../shared/contract'
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
  if (value === null || value === '') return <NotSet />
  return <code>{value}</code>
}

function splitEnv(entry: string): [string, string] {
  const eq = entry.indexOf('=')
  return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)]
}

function labelValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function ConfigView({ config }: { config: ImageConfigDetail | null }) {
  if (!config) return <p className="muted">No config recorded for this image.</p>
  const labels = config.labels ? Object.entries(config.labels) : null
  return (
    <div className="config-view">
      <dl className="facts">
        <div>
          <dt>Entrypoint</dt>
          <dd>
            <Words words={config.entrypoint} />
          </dd>
        </div>
        <div>
          <dt>Command</dt>
          <dd>
            <Words words={config.cmd} />
          </dd>
        </div>
        <div>
          <dt>Working dir</dt>
          <dd>
            <Text value={config.workingDir} />
          </dd>
        </div>
        <div>
          <dt>User</dt>
          <dd>
            <Text value={config.user} />
          </dd>
        </div>
        <div>
          <dt>Stop signal</dt>
          <dd>
            <Text value={config.stopSignal} />
          </dd>
        </div>
        <div>
          <dt>Config digest</dt>
          <dd>{config.digest ? <Digest digest={config.digest} label="config digest" /> : <NotSet />}</dd>
        </div>
      </dl>

      <h4 className="subheading">Environment</h4>
      {config.env.length === 0 ? (
        <p>
          <Empty />
        </p>
      ) : (
        <table className="kv-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {config.env.map((entry, i) => {
              const [key, value] = splitEnv(entry)
              return (
                <tr key={i}>
                  <th scope="row">
                    <code>{key}</code>
                  </th>
                  <td>{value === '' ? <span className="muted">(empty)</span> : <code>{value}</code>}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
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
        <table className="kv-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {labels.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">
                  <code>{key}</code>
                </th>
                <td>
                  <code>{labelValue(value)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
