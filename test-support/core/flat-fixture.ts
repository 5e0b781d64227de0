// Flat rootfs artifacts written as msb writes them (crates/image/lib/flat.rs materialize_flat_rootfs and
// cache/store.rs, read at 17dd7cda / 0c322a32): a sparse ext4 image built in `tmp/<derivation>.flat.work/`
// (here by Debian's `mkfs.ext4 -d`, msb has its own pure-Rust writer), published to
// `flat/blobs/sha256_<sha256 of its bytes>.raw`, then the ref `flat/refs/sha256_<manifest hex>.json`
// (serde_json pretty JSON, written to `.json.part`, fsynced, renamed); the derivation's lock file
// `flat/locks/sha256_<derivation hex>.lock` stays behind, empty, mode 0600, as msb leaves it.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'

/** mkfs.ext4 lives in sbin, which a user's PATH may lack. */
const MKFS = ['/usr/sbin/mkfs.ext4', '/sbin/mkfs.ext4'].find((p) => existsSync(p)) ?? 'mkfs.ext4'

/** EXT4_ROOTFS_MATERIALIZER_ABI (flat.rs's test fixture writes 1). */
export const MATERIALIZER_ABI = 1

export interface FlatArtifactFixture {
  manifestDigest: string
  derivationDigest: string
  artifactDigest: string
  refPath: string
  blobPath: string
  lockPath: string
  virtualSizeBytes: number
}

/** flat.rs flat_derivation_digest for linux/amd64. */
export function derivationDigest(manifestDigest: string, diffIds: string[]): string {
  const h = createHash('sha256')
  h.update('microsandbox.flat-rootfs\0')
  const abi = Buffer.alloc(4)
  abi.writeUInt32LE(MATERIALIZER_ABI)
  h.update(abi)
  h.update('\0')
  h.update('linux/amd64')
  h.update('\0')
  h.update(manifestDigest)
  for (const d of diffIds) h.update(`\0${d}`)
  return `sha256:${h.digest('hex')}`
}

const safe = (d: string) => d.replace(':', '_')

function countTree(dir: string): { inodes: number; bytes: number } {
  let inodes = 1
  let bytes = 0
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, d.name)
    if (d.isDirectory()) {
      const sub = countTree(full)
      inodes += sub.inodes
      bytes += sub.bytes
    } else {
      inodes++
      if (d.isFile()) bytes += statSync(full).size
    }
  }
  return { inodes, bytes }
}

export interface WriteFlatOptions {
  manifestDigest: string
  diffIds: string[]
  /** The merged root the ext4 image holds. */
  rootDir: string
  /** msb's images are 256 MiB sparse files; tests use less to hash less. */
  sizeBytes?: number
  /** A different uuid makes a different blob for the same tree (a replaced ref's blob). */
  uuidSeed?: string
  /** Write the blob only (msb was killed between publishing the blob and writing its ref). */
  blobOnly?: boolean
}

export function writeFlatArtifact(cacheDir: string, o: WriteFlatOptions): FlatArtifactFixture {
  const size = o.sizeBytes ?? 32 * 1024 * 1024
  const derivation = derivationDigest(o.manifestDigest, o.diffIds)
  for (const d of ['refs', 'blobs', 'locks']) mkdirSync(join(cacheDir, 'flat', d), { recursive: true })
  const lockPath = `flat/locks/${safe(derivation)}.lock`
  closeSync(openSync(join(cacheDir, lockPath), 'a', 0o600))
  const work = join(cacheDir, 'tmp', `${safe(derivation)}.flat.work`)
  mkdirSync(work, { recursive: true })
  const uuidHex = createHash('sha256')
    .update(`${derivation}${o.uuidSeed ?? ''}`)
    .digest('hex')
    .slice(0, 32)
  const uuid = `${uuidHex.slice(0, 8)}-${uuidHex.slice(8, 12)}-${uuidHex.slice(12, 16)}-${uuidHex.slice(16, 20)}-${uuidHex.slice(20)}`
  const candidate = join(work, 'rootfs.raw.part')
  execFileSync(
    MKFS,
    ['-q', '-F', '-U', uuid, '-E', 'root_owner=0:0,lazy_itable_init=0', '-d', o.rootDir, candidate, `${size / 1024}k`],
    { env: { ...process.env, E2FSPROGS_FAKE_TIME: '1700000000', MKE2FS_DEVICE_SECTSIZE: '512' } }
  )
  const artifact = `sha256:${createHash('sha256').update(readFileSync(candidate)).digest('hex')}`
  const blobPath = `flat/blobs/${safe(artifact)}.raw`
  renameSync(candidate, join(cacheDir, blobPath))
  rmSync(work, { recursive: true, force: true })
  const refPath = `flat/refs/${safe(o.manifestDigest)}.json`
  const counted = countTree(o.rootDir)
  if (!o.blobOnly) {
    const ref = {
      schema: 1,
      manifest_digest: o.manifestDigest,
      derivation_digest: derivation,
      artifact_digest: artifact,
      materializer_abi: MATERIALIZER_ABI,
      uuid: uuidHex,
      virtual_size_bytes: size,
      inode_count: counted.inodes,
      content_bytes: counted.bytes
    }
    const part = join(cacheDir, `${refPath.slice(0, -'.json'.length)}.json.part`)
    writeFileSync(part, JSON.stringify(ref, null, 2))
    renameSync(part, join(cacheDir, refPath))
  }
  return {
    manifestDigest: o.manifestDigest,
    derivationDigest: derivation,
    artifactDigest: artifact,
    refPath,
    blobPath,
    lockPath,
    virtualSizeBytes: size
  }
}
