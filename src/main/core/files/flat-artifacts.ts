// msb's flat rootfs artifacts (`<cache>/flat/`, every msb since 0.6; crates/image/lib/cache/store.rs and
// flat.rs): `refs/sha256_<manifest hex>.json` (pretty JSON naming the manifest, its derivation and the
// artifact), `blobs/sha256_<artifact hex>.raw` (a sparse ext4 image, valid only when its length equals the
// ref's `virtual_size_bytes`) and `locks/sha256_<derivation hex>.lock` (flock held while materialising).
// No msb version ever deletes anything here, so this is often the largest waste of a cache. This file
// reads them and says which image each belongs to and which are unused, and why; flat-reclaim.ts deletes.
//
// Bytes are given twice: logical (the file's length, what `ls` says) and allocated (st_blocks × 512, what
// the disk really holds: a sparse ext4 image holds far less than its length).
import { type Dirent, lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FlatArtifact, FlatUnusedReason } from '../../../shared/contract'
import { FLAT_FOLDERS } from '../homes/cache-paths'

const DIGEST = /^sha256:[0-9a-f]{64}$/
const REF_NAME = /^sha256_[0-9a-f]{64}\.json$/
const BLOB_NAME = /^sha256_[0-9a-f]{64}\.raw$/

/** A ref file as msb writes it (FlatRootfsRef, schema 1). */
export interface FlatRefJson {
  schema: number
  manifest_digest: string
  derivation_digest: string
  artifact_digest: string
  materializer_abi: number
  uuid: string
  virtual_size_bytes: number
  inode_count: number
  content_bytes: number
}

export interface FileBytes {
  logical: number
  allocated: number
  dev: number
  ino: number
}

export interface FlatRef {
  /** `flat/refs/<name>`. */
  path: string
  bytes: FileBytes
  /** null when msb would ignore it too (unreadable, another schema, bad digests): then never deleted. */
  json: FlatRefJson | null
}

export interface FlatScan {
  refs: FlatRef[]
  /** `flat/blobs/<name>` → its bytes. */
  blobs: Map<string, FileBytes>
}

/** A digest as msb names it in a file name (`Digest::to_path_safe`). */
export function pathSafe(digest: string): string {
  return digest.replace(':', '_')
}

export function flatRefPath(manifestDigest: string): string {
  return `${FLAT_FOLDERS.refs}/${pathSafe(manifestDigest)}.json`
}

export function flatBlobPath(artifactDigest: string): string {
  return `${FLAT_FOLDERS.blobs}/${pathSafe(artifactDigest)}.raw`
}

export function flatLockPath(derivationDigest: string): string {
  return `${FLAT_FOLDERS.locks}/${pathSafe(derivationDigest)}.lock`
}

export function fileBytes(path: string): FileBytes | null {
  try {
    const st = lstatSync(path, { bigint: false })
    if (!st.isFile()) return null
    return { logical: st.size, allocated: st.blocks * 512, dev: st.dev, ino: st.ino }
  } catch {
    return null
  }
}

/** The ref's JSON when msb would read it (store.rs read_flat_ref: schema 1, parseable digests). */
export function parseFlatRef(text: string): FlatRefJson | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (!value || typeof value !== 'object') return null
  const v = value as Record<string, unknown>
  if (v.schema !== 1) return null
  for (const key of ['manifest_digest', 'derivation_digest', 'artifact_digest'] as const) {
    if (typeof v[key] !== 'string' || !DIGEST.test(v[key])) return null
  }
  if (typeof v.virtual_size_bytes !== 'number') return null
  return v as unknown as FlatRefJson
}

function entries(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true })
  } catch {
    return []
  }
}

/** Reads `flat/refs` and `flat/blobs` (no symlink is followed; other entries are left to the home's count). */
export function scanFlat(cacheDir: string): FlatScan {
  const refs: FlatRef[] = []
  for (const d of entries(join(cacheDir, FLAT_FOLDERS.refs))) {
    if (!d.isFile() || !REF_NAME.test(d.name)) continue
    const full = join(cacheDir, FLAT_FOLDERS.refs, d.name)
    const bytes = fileBytes(full)
    if (!bytes) continue
    let json: FlatRefJson | null
    try {
      json = parseFlatRef(readFileSync(full, 'utf8'))
    } catch {
      json = null
    }
    // A ref must sit at the name its manifest digest gives it, as msb looks it up.
    if (json && flatRefPath(json.manifest_digest) !== `${FLAT_FOLDERS.refs}/${d.name}`) json = null
    refs.push({ path: `${FLAT_FOLDERS.refs}/${d.name}`, bytes, json })
  }
  const blobs = new Map<string, FileBytes>()
  for (const d of entries(join(cacheDir, FLAT_FOLDERS.blobs))) {
    if (!d.isFile() || !BLOB_NAME.test(d.name)) continue
    const bytes = fileBytes(join(cacheDir, FLAT_FOLDERS.blobs, d.name))
    if (bytes) blobs.set(`${FLAT_FOLDERS.blobs}/${d.name}`, bytes)
  }
  return { refs, blobs }
}

export interface FlatContext {
  /** Digests of the manifests the database has. */
  manifests: ReadonlySet<string>
  /** Digests of manifests some reference points at (a ref of a manifest without one is unused). */
  referenced?: ReadonlySet<string>
  /** Digests of images an active sandbox is starting from: it may be copying the blob right now. */
  starting?: ReadonlySet<string>
  /** Digests of the images the user is removing (their refs are unused once they go). */
  removing: ReadonlySet<string>
  /** Manifest digest → the references that point at it (for the wording). */
  referencesOf?: ReadonlyMap<string, string[]>
}

const REASONS: Record<FlatUnusedReason, string> = {
  'orphaned-blob': 'no flat ref names this blob (msb replaced or never wrote its ref)',
  'stale-ref': 'its image (manifest) is no longer in the cache',
  unreferenced:
    'no reference names its image any more (a sandbox that still holds the image boots from its own copy, rootfs.raw)',
  removing: 'its image is being removed'
}

export function describeFlatReason(reason: FlatUnusedReason): string {
  return REASONS[reason]
}

/**
 * Every artifact: one per ref (its ref file plus the blob it names, counted with the first ref that names
 * it) and one per blob no readable ref names. `unused` says why it can go, null while its image needs it.
 */
export function classifyFlat(scan: FlatScan, context: FlatContext): FlatArtifact[] {
  const named = new Map<string, number>()
  for (const r of scan.refs) {
    if (!r.json) continue
    const blob = flatBlobPath(r.json.artifact_digest)
    named.set(blob, (named.get(blob) ?? 0) + 1)
  }
  const counted = new Set<string>()
  const out: FlatArtifact[] = []
  for (const r of scan.refs) {
    const json = r.json
    const blobPath = json ? flatBlobPath(json.artifact_digest) : null
    const blob = blobPath ? scan.blobs.get(blobPath) : undefined
    const withBlob = blobPath !== null && blob !== undefined && !counted.has(blobPath)
    if (withBlob) counted.add(blobPath)
    const digest = json?.manifest_digest ?? null
    let unused: FlatUnusedReason | null = null
    if (json && digest) {
      if (!context.manifests.has(digest)) unused = 'stale-ref'
      else if (context.removing.has(digest)) unused = 'removing'
      else if (context.referenced && !context.referenced.has(digest)) unused = 'unreferenced'
      // msb copies (or reflinks) the blob into the sandbox's rootfs.raw while it creates it.
      if (unused !== 'stale-ref' && context.starting?.has(digest)) unused = null
    }
    // A blob another (kept) ref names stays when this ref goes.
    const blobGoes = withBlob && (named.get(blobPath) ?? 0) === 1
    out.push({
      manifestDigest: digest,
      references: digest ? (context.referencesOf?.get(digest) ?? []) : [],
      refPath: r.path,
      blobPath: blob ? blobPath : null,
      derivationDigest: json?.derivation_digest ?? null,
      logicalBytes: r.bytes.logical + (withBlob ? blob.logical : 0),
      allocatedBytes: r.bytes.allocated + (withBlob ? blob.allocated : 0),
      reclaimLogicalBytes: unused ? r.bytes.logical + (blobGoes ? blob.logical : 0) : 0,
      reclaimAllocatedBytes: unused ? r.bytes.allocated + (blobGoes ? blob.allocated : 0) : 0,
      valid: json !== null && blob !== undefined && blob.logical === json.virtual_size_bytes,
      unused,
      why: unused ? REASONS[unused] : json ? null : 'msb cannot read this ref (kept)'
    })
  }
  for (const [path, bytes] of scan.blobs) {
    if (named.has(path)) continue
    out.push({
      manifestDigest: null,
      references: [],
      refPath: null,
      blobPath: path,
      derivationDigest: null,
      logicalBytes: bytes.logical,
      allocatedBytes: bytes.allocated,
      reclaimLogicalBytes: bytes.logical,
      reclaimAllocatedBytes: bytes.allocated,
      valid: false,
      unused: 'orphaned-blob',
      why: REASONS['orphaned-blob']
    })
  }
  return out
}

/** Each image's flat bytes (logical and allocated), by manifest digest. */
export function flatBytesByManifest(artifacts: FlatArtifact[]): Map<string, { logical: number; allocated: number }> {
  const out = new Map<string, { logical: number; allocated: number }>()
  for (const a of artifacts) {
    if (!a.manifestDigest) continue
    const t = out.get(a.manifestDigest) ?? { logical: 0, allocated: 0 }
    t.logical += a.logicalBytes
    t.allocated += a.allocatedBytes
    out.set(a.manifestDigest, t)
  }
  return out
}
