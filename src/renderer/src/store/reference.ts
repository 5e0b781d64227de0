// Splits a reference string for display only (registry dimmed, repository bold, tag as a pill).
// msb stores references verbatim and never normalises them, so neither do we: "alpine" stays
// "alpine" with no invented "docker.io/library/" or ":latest".

export interface ReferenceParts {
  /** e.g. "ghcr.io" or "localhost:5000"; null when the reference names none. */
  registry: string | null
  repository: string
  tag: string | null
  /** "sha256:…" for digest-pinned references. */
  digest: string | null
}

export function parseReference(reference: string): ReferenceParts {
  let rest = reference
  let digest: string | null = null
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
  }
  let tag: string | null = null
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  let registry: string | null = null
  const slash = rest.indexOf('/')
  if (slash > 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first
      rest = rest.slice(slash + 1)
    }
  }
  return { registry, repository: rest, tag, digest }
}
