// Where this home's files are, as msb resolves them, and the other homes that share its cache. In a
// shared cache (its root is not <home>/cache) no file is deleted unless every home that may use it is
// named here: their databases are read before each deletion.
import { useState } from 'react'
import { useApp } from '../../store/app-store'

export function SharedHomes() {
  const status = useApp((s) => s.status)
  const sharing = useApp((s) => s.sharing)
  const shareCacheWith = useApp((s) => s.shareCacheWith)
  const [draft, setDraft] = useState('')
  if (!status) return null
  const homes = status.alsoHomes
  const add = () => {
    const home = draft.trim()
    if (!home) return
    void shareCacheWith([...homes, home]).then(() => setDraft(''))
  }
  return (
    <section className="shared-homes" aria-labelledby="shared-homes-title" data-testid="shared-homes">
      <h2 id="shared-homes-title" className="section-title">
        Where the files are
      </h2>
      <dl className="facts">
        <div>
          <dt>Home</dt>
          <dd className="mono" data-testid="resolved-home">
            {status.home}
          </dd>
        </div>
        <div>
          <dt>Database</dt>
          <dd className="mono" data-testid="resolved-db">
            {status.dbPath}
          </dd>
        </div>
        <div>
          <dt>Cache</dt>
          <dd className="mono" data-testid="resolved-cache">
            {status.cacheDir}
          </dd>
        </div>
      </dl>
      {status.sharedCache && (
        <p className="muted" data-testid="shared-cache-note">
          {homes.length === 0
            ? 'This cache is not inside the home, so other homes may share it: remove and prune keep every file. Name the homes that share it to reclaim files none of them uses.'
            : 'Files any of the homes below uses are kept.'}
        </p>
      )}
      <ul className="mono-list" data-testid="shared-homes-list">
        {homes.map((home) => (
          <li key={home}>
            {home}{' '}
            <button
              type="button"
              className="button button-small"
              disabled={sharing.phase === 'saving'}
              onClick={() => void shareCacheWith(homes.filter((h) => h !== home))}
            >
              Forget
            </button>
          </li>
        ))}
      </ul>
      <form
        className="shared-homes-add"
        onSubmit={(event) => {
          event.preventDefault()
          add()
        }}
      >
        <label>
          Another home sharing this cache{' '}
          <input
            type="text"
            value={draft}
            placeholder="/path/to/other/.microsandbox"
            onChange={(event) => setDraft(event.target.value)}
            data-testid="shared-home-input"
          />
        </label>{' '}
        <button type="submit" className="button" disabled={sharing.phase === 'saving' || draft.trim() === ''}>
          Add
        </button>
      </form>
      {sharing.error && (
        <p className="form-error" role="alert" data-testid="shared-homes-error">
          {sharing.error}
        </p>
      )}
    </section>
  )
}
