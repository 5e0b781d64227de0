// Deleting unused flat rootfs artifacts (see flat-artifacts.ts), which no msb version ever deletes, under
// the locks msb takes around them, none of them waited for (a busy lock means skip and say so):
//   - the flock of the artifact's derivation (`flat/locks/<derivation>.lock`), which msb holds while it
//     materialises and publishes a blob and its ref; for a blob no ref names (its derivation is unknown)
//     every flat lock, so a blob published a moment before its ref is never taken;
//   - msb's storage leases (0.7.7+) on the image's fsmeta and metadata JSON: a reader pins them while it
//     reads the image, a publisher while it writes it.
// Then the ref goes first and the blob second (msb publishes the blob first and the ref second, so a ref
// never names a blob that is gone), each only if it is still the file that was planned. Lock files are
// never deleted, and nothing under `sandboxes/` is touched: a sandbox boots from its own `rootfs.raw`.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, unlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { FlatArtifact, FlatReclaimResult } from '../../../shared/contract'
import { type HeldLock, tryLockFile } from '../locks/flock'
import { releaseAll, tryExclusiveLeases } from '../locks/storage-lease'
import {
  classifyFlat,
  type FlatContext,
  fileBytes,
  flatBlobPath,
  flatLockPath,
  parseFlatRef,
  pathSafe,
  scanFlat
} from '../files/flat-artifacts'

export interface FlatReclaimOptions {
  cacheDir: string
  home: string
  context: FlatContext
  /** The artifacts the user approved, by ref path or (orphaned blobs) blob path: nothing else goes. */
  approved: ReadonlySet<string>
  /** Metadata JSONs (`manifests/<key>.json`, cache-relative) of an image, by manifest digest, to lease. */
  metadataOf?: (manifestDigest: string) => string[]
}

export function artifactKey(a: Pick<FlatArtifact, 'refPath' | 'blobPath'>): string {
  return a.refPath ?? a.blobPath ?? ''
}

function syncDirectory(path: string): void {
  let fd: number | null = null
  try {
    fd = openSync(path, 'r')
    fsyncSync(fd)
  } catch {
    // Some filesystems refuse fsync on a directory; the unlink itself has happened.
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

function lockFiles(cacheDir: string): string[] {
  try {
    return readdirSync(join(cacheDir, 'flat', 'locks'))
      .filter((n) => n.endsWith('.lock'))
      .map((n) => join(cacheDir, 'flat', 'locks', n))
  } catch {
    return []
  }
}

/** Sandboxes whose `rootfs.raw` has the blob's length: copied, or reflinked (then they share its blocks). */
function sandboxCopiesOf(home: string, length: number): string[] {
  const out: string[] = []
  let names: string[]
  try {
    names = readdirSync(join(home, 'sandboxes'))
  } catch {
    return out
  }
  for (const name of names) {
    const b = fileBytes(join(home, 'sandboxes', name, 'rootfs.raw'))
    if (b && b.logical === length) out.push(name)
  }
  return out
}

export function reclaimFlat(options: FlatReclaimOptions): FlatReclaimResult {
  const { cacheDir, home, context, approved } = options
  const result: FlatReclaimResult = {
    removed: [],
    skipped: [],
    freedLogicalBytes: 0,
    freedAllocatedBytes: 0,
    notes: []
  }
  const abs = (rel: string) => join(cacheDir, rel)
  const unlinkIfSame = (
    rel: string,
    expected: { dev: number; ino: number }
  ): { logical: number; allocated: number } | null => {
    const now = fileBytes(abs(rel))
    if (!now || now.dev !== expected.dev || now.ino !== expected.ino) return null
    unlinkSync(abs(rel))
    syncDirectory(dirname(abs(rel)))
    return { logical: now.logical, allocated: now.allocated }
  }
  const gone = (path: string, bytes: { logical: number; allocated: number }) => {
    result.removed.push({ path, logicalBytes: bytes.logical, allocatedBytes: bytes.allocated })
    result.freedLogicalBytes += bytes.logical
    result.freedAllocatedBytes += bytes.allocated
  }
  const noteCopies = (blob: string, length: number, allocated: number) => {
    const copies = sandboxCopiesOf(home, length)
    if (copies.length === 0) return
    result.notes.push(
      `${blob}: sandbox ${copies.join(', ')} keeps its own rootfs.raw of this image; where it is a reflink (btrfs, XFS, APFS) ` +
        `the blocks it shares stay with it, so the disk may get back less than ${allocated} bytes`
    )
  }

  const scan = scanFlat(cacheDir)
  const artifacts = classifyFlat(scan, context).filter((a) => a.unused && approved.has(artifactKey(a)))
  for (const planned of approved) {
    if (!artifacts.some((a) => artifactKey(a) === planned)) {
      result.skipped.push({ path: planned, why: 'no longer unused or no longer there; kept' })
    }
  }

  for (const a of artifacts.filter((x) => x.refPath !== null)) {
    const ref = scan.refs.find((r) => r.path === a.refPath)!
    const json = ref.json!
    const lock = tryLockFile(abs(flatLockPath(json.derivation_digest)), 'exclusive')
    if (!lock) {
      result.skipped.push({
        path: a.refPath!,
        why: `msb is materialising it (${flatLockPath(json.derivation_digest)} is held); kept`
      })
      continue
    }
    const held: HeldLock[] = [lock]
    try {
      // Each entry once: a second flock on the same file from this process would conflict with the first.
      const entries = [
        ...new Set([
          `fsmeta/${pathSafe(json.manifest_digest)}.erofs`,
          ...(options.metadataOf?.(json.manifest_digest) ?? [])
        ])
      ]
      const leases = tryExclusiveLeases(entries.map(abs).filter((e) => existsSync(dirname(e))))
      if ('busy' in leases) {
        result.skipped.push({
          path: a.refPath!,
          why: `msb is using the image (the lease of ${leases.busy.slice(cacheDir.length + 1)} is held); kept`
        })
        continue
      }
      held.push(...leases.held)
      // Still the ref that was planned?
      let again
      try {
        again = parseFlatRef(readFileSync(abs(a.refPath!), 'utf8'))
      } catch {
        again = null
      }
      if (!again || again.artifact_digest !== json.artifact_digest) {
        result.skipped.push({ path: a.refPath!, why: 'msb rewrote the ref meanwhile; kept' })
        continue
      }
      const refGone = unlinkIfSame(a.refPath!, ref.bytes)
      if (!refGone) {
        result.skipped.push({ path: a.refPath!, why: 'the ref changed meanwhile; kept' })
        continue
      }
      gone(a.refPath!, refGone)
      const blobPath = flatBlobPath(json.artifact_digest)
      const blob = scan.blobs.get(blobPath)
      // The blob goes only when no remaining ref names it.
      const stillNamed = scanFlat(cacheDir).refs.some(
        (r) => r.json && flatBlobPath(r.json.artifact_digest) === blobPath
      )
      if (blob && !stillNamed) {
        const blobGone = unlinkIfSame(blobPath, blob)
        if (blobGone) {
          gone(blobPath, blobGone)
          noteCopies(blobPath, blobGone.logical, blobGone.allocated)
        }
      }
    } finally {
      releaseAll(held)
    }
  }

  const orphans = artifacts.filter((a) => a.refPath === null && a.blobPath !== null)
  if (orphans.length > 0) {
    // A blob is published before its ref: while any flat lock is held, an "orphan" may be a blob whose ref is
    // about to be written. Take them all, never waiting.
    const held: HeldLock[] = []
    let busy: string | null = null
    for (const file of lockFiles(cacheDir)) {
      const l = tryLockFile(file, 'exclusive')
      if (!l) {
        busy = file.slice(cacheDir.length + 1)
        break
      }
      held.push(l)
    }
    try {
      for (const a of orphans) {
        if (busy) {
          result.skipped.push({ path: a.blobPath!, why: `msb is materialising a flat rootfs (${busy} is held); kept` })
          continue
        }
        const named = scanFlat(cacheDir).refs.some((r) => r.json && flatBlobPath(r.json.artifact_digest) === a.blobPath)
        const before = scan.blobs.get(a.blobPath!)
        const blobGone = !named && before ? unlinkIfSame(a.blobPath!, before) : null
        if (!blobGone) {
          result.skipped.push({ path: a.blobPath!, why: 'a ref names it now, or it changed; kept' })
          continue
        }
        gone(a.blobPath!, blobGone)
        noteCopies(a.blobPath!, blobGone.logical, blobGone.allocated)
      }
    } finally {
      releaseAll(held)
    }
  }
  return result
}
