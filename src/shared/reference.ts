// How a reference string splits into registry, repository, tag and digest, by docker's grammar
// (the first path component is a registry when it has a dot, a colon or an upper-case letter, or is
// `localhost`). Shared by the renderer (to display a reference) and the core (which validates and
// normalises on top of it to name msb's metadata files). Nothing is invented here: "alpine" has no
// registry and no tag.

export interface ReferenceParts {
  /** e.g. "ghcr.io" or "localhost:5000"; null when the reference names none. */
  registry: string | null
  repository: string
  tag: string | null
  /** "sha256:…" for digest-pinned references. */
  digest: string | null
}

export function splitReference(reference: string): ReferenceParts {
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
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first
      rest = rest.slice(slash + 1)
    }
  }
  return { registry, repository: rest, tag, digest }
}
