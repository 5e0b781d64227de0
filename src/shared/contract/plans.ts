// Plans and reports for remove and prune.

import type { ImagePruneReport } from './images'
import type { SandboxRef } from './status'
import type { FileKind, KindTotal } from './usage'

export interface PlannedFile {
  kind: FileKind
  /** Path relative to the cache directory, e.g. `layers/sha256_ab…cd.erofs`. */
  path: string
  bytes: number
}

/** Something kept back from deletion, and why. */
export interface KeptImage {
  reference: string
  manifestDigest: string | null
  reason: 'sandbox' | 'snapshot' | 'alias' | 'not-selected' | 'rule'
  sandboxes: SandboxRef[]
  snapshots: string[]
  /** For reason 'rule': which rules keep it, e.g. "matches keep pattern docker.io/library/*", "most recent of …". */
  why?: string[]
}

/** A file a plan keeps although its rows go: another home sharing the cache may need it. */
export interface KeptFile extends PlannedFile {
  reason: string
  /** The named homes that use it (empty when the other homes are not known). */
  homes: string[]
}

/** What a write would delete. Plans are computed from one read snapshot and carry its fingerprint. */
export interface DeletionPlan {
  references: string[]
  manifests: string[]
  /** Layer diff ids whose rows go. */
  layers: string[]
  files: PlannedFile[]
  totalBytes: number
  bytesByKind: KindTotal[]
  kept: KeptImage[]
  /** Files kept in a cache shared with other homes (see README, "Caches shared by several homes"). */
  keptFiles: KeptFile[]
  /** Plan-wide remarks, e.g. that the cache is shared and unreferenced files were not considered. */
  notes: string[]
  /** Identifies the state the plan was computed from; pass it back to detect changes. */
  fingerprint: string
}

export type PruneScope =
  /** msb's prune: every image that no sandbox or snapshot pins. */
  | { kind: 'unused' }
  /** Only data nothing refers to: ref-less manifests, orphaned layers, stray files older than a margin. */
  | { kind: 'dangling' }
  /** A chosen set of references (in-use ones are kept, never forced). */
  | { kind: 'images'; references: string[] }
  /** Retention rules over the references no sandbox or snapshot uses; a reference goes when every rule given chooses it. */
  | { kind: 'rules'; rules: RetentionRules }

/** At least one rule must be given. */
export interface RetentionRules {
  /** Last use (msb's `lastUsedAt`) older than now minus this: `30d`, `12h`, `2w`, `1w3d`. */
  unusedFor?: string
  /** Within each repository (the reference without tag or digest), keep the N most recently used. */
  keepLast?: number
  /** Never choose a reference matching one of these globs (`*` stops at `/`, `**` crosses it). */
  keep?: string[]
}

/** A reference the rules chose, and why (one phrase per rule given). */
export interface RuleChoice {
  reference: string
  /** e.g. `docker.io/library/python`: the normalised reference without tag or digest. */
  repository: string
  lastUsedAt: string | null
  /** 1 = the most recently used reference of its repository. */
  rank: number
  why: string[]
}

export interface PrunePlan extends DeletionPlan {
  scope: PruneScope
  /** With the 'rules' scope: every reference chosen, in `references` order, with why. */
  chosen?: RuleChoice[]
}

export interface PruneResult {
  report: ImagePruneReport
  /** Items the plan listed that were not removed, or removed items the plan did not list, with why. */
  differences: string[]
  /** When msb did the prune (a home the explorer does not know): what it did beside the preview. */
  delegated?: DelegatedOutcome
}

export interface RemovePlan extends DeletionPlan {
  force: boolean
  /** Sandboxes whose data stays because they still need it (force removal of an image in use). */
  heldBy: SandboxRef[]
}

/** An msb binary the explorer hands a write to. */
export interface MsbInUse {
  path: string
  version: string | null
  /** Where it was found: `MSB_PATH`, `home bin/` or `PATH`. */
  source: string
}

/** Figures of a write handed to msb: what the preview said, or what msb really did. */
export interface DelegatedFigures {
  references: string[]
  manifests: number
  layers: number
  files: number
  bytes: number
  /** Of the files, fsmeta and vmdk ones (msb's report counts them). */
  fsmeta: number
  vmdk: number
}

/** A remove or prune run by msb on a home the explorer does not know, beside the explorer's preview. */
export interface DelegatedOutcome {
  msb: MsbInUse
  /** The command run, without the binary: `image rm …` or `image prune -y --format json`. */
  args: string[]
  exitCode: number
  /** msb's own words when it failed. */
  message: string
  /** msb's prune report, when it printed one. */
  msbReport: ImagePruneReport | null
  preview: DelegatedFigures
  actual: DelegatedFigures
  /** One line per thing the preview and msb disagree on. */
  differences: string[]
}

export interface RemoveResult {
  removed: string[]
  manifestsRemoved: number
  layersRemoved: number
  filesRemoved: number
  bytesReclaimed: number
  /** Manifests kept because a sandbox still needs them (force removal); prune reclaims them later. */
  heldBy: SandboxRef[]
  differences: string[]
  /** When msb did the removal (a home the explorer does not know): what it did beside the preview. */
  delegated?: DelegatedOutcome
}
