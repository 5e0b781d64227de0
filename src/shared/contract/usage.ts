// Disk usage measured from the files on disk: per reference, per kind, per home area, flat artifacts.

import type { ImageDetail, ImageHandle } from './images'
import type { SandboxRef } from './status'

/**
 * `memory`: msb 0.7's guest RAM for branches and full snapshots (`<cache>/memory/`), never image data.
 * `deleting`: files msb's deletion journals hold (msb 0.7.7+, `cache/.image-deletions/`), each inode once.
 * `lock`: msb's empty lock files beside the content files (`*.lock`), which flock needs and which hold no bytes.
 */
export type FileKind =
  'layer' | 'fsmeta' | 'vmdk' | 'metadata' | 'flat' | 'memory' | 'deleting' | 'tmp' | 'lock' | 'other'

/** Per-reference disk cost, measured from the files on disk (what `docker system df -v` shows). */
export interface ImageUsage {
  reference: string
  manifestDigest: string | null
  /** Bytes only this manifest uses: its own fsmeta and vmdk and layers no other manifest has. */
  uniqueBytes: number
  /** Bytes of layers this manifest shares with other manifests. */
  sharedBytes: number
  /**
   * What removing this reference alone frees: exactly the `totalBytes` of its remove plan (with force
   * when it is in use). Small when other references of the image remain or a sandbox or snapshot holds it.
   */
  freedBytes: number
  /** Other references that point at the same manifest. */
  aliases: string[]
  /**
   * Other references msb reads as the same name (`alpine`, `docker.io/library/alpine:latest`): they share
   * this reference's metadata file (`manifests/<key>.json`), so removing this one alone leaves it.
   */
  sharesMetadataWith: string[]
  /** Sandboxes that pin the manifest (msb's `sandbox_rootfs`), plus active sandboxes about to pin it. */
  sandboxes: SandboxRef[]
  /** Snapshots that pin the manifest by digest. */
  snapshots: string[]
  /**
   * Files msb needs to use the image that are missing from the cache (layer, fsmeta, vmdk), relative to
   * the cache directory. Non-empty means the image is damaged: msb cannot start it; remove it (and pull
   * it again).
   */
  missingFiles: string[]
  /** Bytes of the image's flat rootfs artifact (`flat/refs` + `flat/blobs`, flat-artifacts.ts): its length. */
  flatBytes: number
  /** The same on disk (st_blocks × 512): a sparse ext4 image holds far less than its length. */
  flatAllocatedBytes: number
}

/**
 * Who uses each reference's image, from the database alone (no file is read), so the window can show
 * what is in use before disk usage is measured. The same facts as in `ImageUsage`.
 */
export interface ImageUse {
  reference: string
  manifestDigest: string | null
  aliases: string[]
  sandboxes: SandboxRef[]
  snapshots: string[]
}

/**
 * The window's first screen, sent before the rest: the first `FIRST_ROWS` images in the window's
 * opening order (created, newest first; unknown times last; ties by reference) with who uses each,
 * and how many images there are. When `total` is no more than the rows sent, this is every image.
 */
export interface FirstRows {
  total: number
  images: ImageHandle[]
  uses: ImageUse[]
}

/** Rows in `firstRows`: more than any window shows at once (a row is 40 px tall). */
export const FIRST_ROWS = 100

export interface KindTotal {
  kind: FileKind
  files: number
  bytes: number
}

export interface CacheUsage {
  /** One entry per reference, in `list` order. */
  images: ImageUsage[]
  /** Bytes on disk by kind of file, over the whole cache directory. */
  totals: KindTotal[]
  totalBytes: number
  /** Bytes of layers used by more than one manifest. */
  sharedLayerBytes: number
  /** What msb's prune (all unused images) would reclaim now. */
  reclaimableBytes: number
  /** What a dangling-only prune would reclaim now: the sum of `dangling`. */
  danglingBytes: number
  /** What a dangling-only prune would remove now, one item per manifest, layer and stray file. */
  dangling: DanglingItem[]
  /** msb's flat rootfs artifacts, each tied to its image or said to be unused and why. */
  flat: FlatArtifact[]
  /** What reclaiming the unused ones frees: their length and (what the disk gets back) their blocks. */
  flatUnusedBytes: number
  flatUnusedAllocatedBytes: number
  /** Image data no reference names that a sandbox or snapshot still holds (after `rm --force`). */
  held: HeldData[]
  /** The whole home, every byte, in the explorer's areas and in msb 0.7.7's `msb df --format json`. */
  home: HomeUsage
}

/** Why a flat artifact is unused (flat-artifacts.ts). */
export type FlatUnusedReason = 'orphaned-blob' | 'stale-ref' | 'unreferenced' | 'removing'

/** One flat rootfs artifact: a ref and the blob it names, or a blob no ref names. */
export interface FlatArtifact {
  manifestDigest: string | null
  /** The references of its image now (empty for a stale ref or an orphaned blob). */
  references: string[]
  /** Cache-relative: `flat/refs/sha256_<hex>.json`. */
  refPath: string | null
  blobPath: string | null
  derivationDigest: string | null
  logicalBytes: number
  allocatedBytes: number
  /** What reclaiming it frees (0 while its image needs it; a blob another ref names stays). */
  reclaimLogicalBytes: number
  reclaimAllocatedBytes: number
  /** msb would use it: a readable ref whose blob has the recorded length. */
  valid: boolean
  unused: FlatUnusedReason | null
  /** Why it is unused, or why it is kept when msb cannot read it. */
  why: string | null
}

export interface FlatPlan {
  /** The unused artifacts a reclaim would delete, with the references being removed counted as gone. */
  artifacts: FlatArtifact[]
  logicalBytes: number
  allocatedBytes: number
}

export interface FlatReclaimResult {
  removed: { path: string; logicalBytes: number; allocatedBytes: number }[]
  /** Artifacts kept: a lock or lease was held (msb at work), or they changed since the plan. */
  skipped: { path: string; why: string }[]
  freedLogicalBytes: number
  /** What the disk got back: the blocks of the files unlinked. */
  freedAllocatedBytes: number
  /** e.g. that a sandbox's reflinked rootfs.raw keeps blocks a blob shared with it. */
  notes: string[]
}

/** Image data no reference names, kept because a sandbox or snapshot still needs it. */
export interface HeldData {
  manifestDigest: string
  sandboxes: SandboxRef[]
  snapshots: string[]
  /** The manifest's own files and layers no other manifest uses. */
  bytes: number
}

export type HomeAreaKind =
  | 'image-cache'
  | 'flat'
  | 'being-deleted'
  | 'memory'
  | 'sandbox'
  | 'volume'
  | 'snapshot'
  | 'logs'
  | 'database'
  | 'other'

/** One part of the home a person can act on, and the msb command that frees it (null: msb frees none of it). */
export interface HomeArea {
  kind: HomeAreaKind
  name: string
  /** Relative to the home (the cache may live elsewhere: then absolute). */
  path: string
  logicalBytes: number
  allocatedBytes: number
  files: number
  freedBy: string | null
}

export interface HomeUsage {
  areas: HomeArea[]
  /** Regular files of the whole home (and cache), hard links once: what `du --apparent-size` counts of files. */
  logicalBytes: number
  allocatedBytes: number
  msb: MsbStorageUsage
}

/** msb 0.7.7's `StorageItemUsage` (snake_case, as `msb df --format json` prints it; null = unknown). */
export interface MsbStorageItem {
  name: string
  path: string
  logical_bytes: number | null
  allocated_bytes: number | null
  in_use: boolean | null
  reclaimable: boolean | null
  reasons: string[]
}

export interface MsbStorageCategory {
  count: number | null
  in_use: number | null
  logical_bytes: number | null
  allocated_bytes: number | null
  reclaimable_logical_bytes: number | null
  items: MsbStorageItem[]
  notes: string[]
}

export interface MsbStorageUsage {
  images: MsbStorageCategory
  snapshots: MsbStorageCategory
  sandboxes: MsbStorageCategory
  volumes: MsbStorageCategory
  branch_memory: MsbStorageCategory
  snapshot_memory: MsbStorageCategory
  notes: string[]
}

/**
 * Dangling data, the one meaning the explorer gives the word: what nothing refers to. A manifest no
 * reference points to (and no sandbox or snapshot holds), a layer no manifest uses, a stray file.
 */
export interface DanglingItem {
  kind: 'manifest' | 'layer' | 'file'
  /** The manifest digest, the layer diff id, or the file's path relative to the cache directory. */
  name: string
  /** For a stray file, what kind of file it is. */
  fileKind: FileKind | null
  /** Bytes its removal frees (a manifest: its fsmeta and vmdk files). */
  bytes: number
}

export interface LayerUsage {
  diffId: string
  position: number
  /** Size of `layers/<diffId>.erofs` on disk; null when the file is missing. */
  fileBytes: number | null
  /** Other references whose manifests contain this layer. */
  sharedWith: string[]
}

/** The detail pane's view of one image: msb's inspect plus what the explorer measures. */
export interface ImageInsight {
  detail: ImageDetail
  usage: ImageUsage
  layers: LayerUsage[]
  fsmetaBytes: number | null
  vmdkBytes: number | null
}

/** What removing a set of references together frees (the selection bar's figure). */
export interface SelectionUsage {
  /** Exactly the `totalBytes` of the remove plan for these references (with force). */
  freedBytes: number
  /** Selected references a sandbox uses (a remove without force refuses them). */
  inUse: string[]
  /** References no longer in the cache (ignored). */
  missing: string[]
  /** Why some of the selection's data stays: unselected tags of the same images, sandboxes, snapshots. */
  dataStays: { otherTags: string[]; sandboxes: SandboxRef[]; snapshots: string[] }
}
