// "In use" with the sandbox names that pin the image; snapshots pin too and are shown apart.
import type { SandboxRef } from '../../../../shared/contract'

/** The names an In use cell shows: the sandboxes, else the snapshots that keep the image. */
export function inUseNames(sandboxes: readonly SandboxRef[], snapshots: readonly string[]): string {
  return (sandboxes.length > 0 ? sandboxes.map((s) => s.name) : snapshots).join(', ')
}

export function InUseBadge({ sandboxes, snapshots }: { sandboxes: SandboxRef[]; snapshots: string[] }) {
  if (sandboxes.length === 0 && snapshots.length === 0) return <span className="muted">—</span>
  // Sandboxes first; an image only snapshots keep names them (msb 0.7: `group:name`).
  const names = inUseNames(sandboxes, snapshots)
  const title = [
    ...sandboxes.map((s) => `sandbox ${s.name} (${s.status})`),
    ...snapshots.map((s) => `snapshot ${s}`)
  ].join('\n')
  return (
    <span className="in-use" title={title}>
      {sandboxes.length > 0 ? (
        <span className="badge badge-in-use">
          <span className="dot" aria-hidden="true" />
          In use
        </span>
      ) : (
        <span className="badge badge-snapshot">Snapshot</span>
      )}
      {names && <span className="in-use-names">{names}</span>}
    </span>
  )
}
