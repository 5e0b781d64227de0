// Digests are the only source of file names the explorer ever deletes. A digest is validated before
// it becomes a path, and the path is built the way msb builds it (`Digest::to_path_safe`), so a
// hostile or damaged database row can never name a file outside the cache.

const SHA256 = /^sha256:[a-f0-9]{64}$/

export function isSha256Digest(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value)
}

/** `sha256:abc…` → `sha256_abc…` (msb's file-name form); null for anything that is not a sha256 digest. */
export function digestFileStem(digest: string): string | null {
  return isSha256Digest(digest) ? digest.replace(':', '_') : null
}
