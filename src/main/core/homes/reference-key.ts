// msb names the metadata file of a reference `manifests/<sha256(normalised reference)>.json`, where the
// normalised form is what oci-client's `Reference::whole()` prints: `alpine` becomes
// `docker.io/library/alpine:latest`. The database never normalises (it stores what the user typed), so
// two rows can share one metadata file; remove and prune must know that to avoid deleting a file
// another reference still needs.
import { hash } from 'node:crypto'
import { splitReference } from '../../../shared/reference'

const DEFAULT_REGISTRY = 'docker.io'
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/

export interface ParsedReference {
  registry: string
  repository: string
  tag: string | null
  digest: string | null
}

/** Parses like oci-client 0.17 (docker's reference grammar); null where msb's parse would fail. */
export function parseReference(reference: string): ParsedReference | null {
  if (!reference || reference.length > 4096) return null
  const parts = splitReference(reference)
  if (parts.digest !== null && !DIGEST.test(parts.digest)) return null
  if (parts.tag !== null && !TAG.test(parts.tag)) return null
  const name = parts.registry === null ? parts.repository : `${parts.registry}/${parts.repository}`
  if (!parts.repository || name.length > 255) return null
  if (parts.registry !== null && !DOMAIN.test(parts.registry)) return null
  let registry = parts.registry ?? DEFAULT_REGISTRY
  let repository = parts.repository
  if (registry === 'index.docker.io') registry = DEFAULT_REGISTRY
  if (!repository.split('/').every((c) => NAME_COMPONENT.test(c))) return null
  if (registry === DEFAULT_REGISTRY && !repository.includes('/')) repository = `library/${repository}`
  const tag = parts.tag === null && parts.digest === null ? 'latest' : parts.tag
  return { registry, repository, tag, digest: parts.digest }
}

export function normalizeReference(reference: string): string | null {
  if (isWhole(reference)) return reference
  const p = parseReference(reference)
  if (!p) return null
  return `${p.registry}/${p.repository}${p.tag !== null ? `:${p.tag}` : ''}${p.digest !== null ? `@${p.digest}` : ''}`
}

/**
 * A reference already in its normalised form, as most references pulled from a registry are: a
 * lower-case registry (with a dot or a port, or `localhost`; not docker.io, where normalising may add
 * `library/`), lower-case name components and a tag. One pattern instead of a parse: keys are made
 * for every reference of a cache, and at 10,000 images the parse was most of a removal's time. The
 * test compares the two on every reference the parse accepts or refuses.
 */
const WHOLE_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const WHOLE_REFERENCE = new RegExp(
  '^(?!(?:index\\.)?docker\\.io/)' +
    '(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::[0-9]+)?|localhost(?::[0-9]+)?|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?:[0-9]+)' +
    `(?:/${WHOLE_COMPONENT})+` +
    ':[\\w][\\w.-]{0,127}$'
)

function isWhole(reference: string): boolean {
  return reference.length <= 4096 && WHOLE_REFERENCE.test(reference) && reference.lastIndexOf(':') <= 255
}

// usage, plans and removals ask for the key of every reference (tens of thousands of times at 10,000
// images); the key is a pure function of the string, so it is computed once per reference.
const KEY_MEMO_LIMIT = 100_000
const keyMemo = new Map<string, string | null>()

/** The stem of `manifests/<stem>.json`, or null when msb could not parse the reference either. */
export function metadataKey(reference: string): string | null {
  const known = keyMemo.get(reference)
  if (known !== undefined) return known
  const whole = normalizeReference(reference)
  // The one-shot hash makes no Hash object per call; a write hashes every reference of the cache.
  const key = whole === null ? null : hash('sha256', whole, 'hex')
  if (keyMemo.size >= KEY_MEMO_LIMIT) keyMemo.clear()
  keyMemo.set(reference, key)
  return key
}

/**
 * The repository a reference belongs to: its normalised name without tag or digest
 * (`python:3.12` → `docker.io/library/python`); the name as typed when msb could not parse it either.
 */
export function repositoryOf(reference: string): string {
  const p = parseReference(reference)
  if (p) return `${p.registry}/${p.repository}`
  const parts = splitReference(reference)
  return parts.registry === null ? parts.repository : `${parts.registry}/${parts.repository}`
}
