// The one contract between the explorer's processes.
//
// Every operation the renderer, the CLI or the HTTP transport may call is a key of `CacheApi`, with
// exactly one argument object and one result. Channel names (Electron IPC), HTTP routes, the preload
// bridge, the main-process handlers and the renderer's client are all derived from these keys
// (see the operation table, `operations.ts`), so adding an operation is one edit here, one row there and
// its core function.
//
// Plain data only: dates are ISO-8601 UTC strings, sizes are numbers of bytes, null means unknown.
// The first four types follow microsandbox's `Image` API (sdk/node-ts/src/image.ts) field for field.

/** One cached image reference, as msb's `Image.list()`/`Image.get()` return it. */
export interface ImageHandle {
  /** The reference string exactly as stored by msb (no normalisation). */
  reference: string
  /** Sum of the compressed layer sizes recorded when the manifest was first stored; null if unknown. */
  sizeBytes: number | null
  manifestDigest: string | null
  architecture: string | null
  os: string | null
  layerCount: number
  /** Last `msb pull`/`load`/sandbox start that used this reference (msb's `image_ref.updated_at`). */
  lastUsedAt: string | null
  createdAt: string | null
}

export interface ImageConfigDetail {
  /** Digest of the config blob ("" when the manifest named none). */
  digest: string
  env: string[]
  cmd: string[] | null
  entrypoint: string[] | null
  workingDir: string | null
  user: string | null
  /** Labels with keys sorted, as msb returns them; null when the image has none. */
  labels: Record<string, unknown> | null
  /** Always null on caches written by msb 0.6.x (msb never stores it). */
  stopSignal: string | null
}

export interface ImageLayerDetail {
  diffId: string
  blobDigest: string
  mediaType: string | null
  compressedSizeBytes: number | null
  /** Always null on caches written by msb 0.6.x; the explorer measures the file instead (LayerUsage). */
  erofsSizeBytes: number | null
  /** 0 is the bottom layer. */
  position: number
}

export interface ImageDetail {
  handle: ImageHandle
  config: ImageConfigDetail | null
  /** Bottom (position 0) to top. */
  layers: ImageLayerDetail[]
}

export interface ImagePruneReport {
  imageRefsRemoved: number
  manifestsRemoved: number
  layersRemoved: number
  fsmetaRemoved: number
  vmdkRemoved: number
  /** null when no file was removed (msb's rule). */
  bytesReclaimed: number | null
  /**
   * Groups left because a running msb held a lease on one of their files; only on msb 0.7.3+ homes, whose
   * msb reports it (absent on older homes so their report stays msb's).
   */
  skippedInUse?: number
}

// ---- What msb does not give: status, sandboxes, disk usage ----

/**
 * Which msb line's migrations the home carries: '0.6' (up to msb 0.6.18), '0.7' (msb 0.7.2 has run on it,
 * even once: it migrates a 0.6 home on its first command), '0.7.3' (msb 0.7.3 or later has run on it: leases
 * and its cleanup rules), 'newer' (migrations the explorer does not know). src/shared/msb-versions.ts.
 */
export type SchemaLine = '0.6' | '0.7' | '0.7.3' | 'newer'

export type SchemaState =
  /** A schema this version knows: read and write. */
  | { kind: 'known'; line: SchemaLine; migrations: number }
  /** A newer or unknown schema: read-only. */
  | { kind: 'unknown'; line: SchemaLine; migrations: number; reason: string }
  /** No database yet: an empty cache. */
  | { kind: 'missing' }

export interface CacheStatus {
  /** The microsandbox home (holds db/ and cache/). */
  home: string
  cacheDir: string
  dbPath: string
  schema: SchemaState
  /**
   * Why this home cannot be opened at all (a config.json msb would refuse, a `--home` that does not
   * exist or is not a directory); null when it can. Every other operation then fails with this reason.
   */
  problem: string | null
  /** Other homes named as sharing this cache (`--also-home`); their files are kept. */
  alsoHomes: string[]
  /** Whether other homes may use this cache (its root is not `<home>/cache`, or homes were named). */
  sharedCache: boolean
  /** True when remove and prune are refused (unknown schema, missing db, or msb's install lease held). */
  readOnly: boolean
  readOnlyReason: string | null
  imageCount: number
  manifestCount: number
  layerCount: number
  /** Changes whenever msb or the explorer changes the cache; the UI polls it to refresh live. */
  revision: string
  /** Whether `openDemo` can build a demo cache here (the msb CLI from npm is installed). */
  demoAvailable: boolean
  /**
   * On a home whose migrations the explorer does not know: the installed msb that knows them, through
   * which remove and prune run (msb-delegation.ts); absent otherwise.
   */
  writesThrough?: MsbInUse | null
  /** When the open cache is a demo (openDemo): the home open before it, where `closeDemo` goes back. */
  demoOf: string | null
}

export interface SandboxRef {
  id: number
  name: string
  status: string
}

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

// ---- Inside the layers: files, changes and where the bytes go ----

export type FileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket'

/** What a layer does to a path, against the layers below it. */
export type FileChange = 'added' | 'modified' | 'deleted' | 'opaque'

/** One path of the merged view (`layer` = position it comes from) or of one layer (`change` set). */
export interface FileRow {
  /** Absolute, `/`-separated. */
  path: string
  type: FileType
  /** Bytes of file data; symlinks: length of the target; 0 for the rest. */
  size: number
  /** Permission bits (st_mode & 07777). */
  mode: number
  uid: number
  gid: number
  target?: string
  /** Position of the layer the entry comes from (0 = bottom). */
  layer: number
  /** Only in a layer's view. A deletion's `type` is the type of what it deletes (char when nothing was below). */
  change?: FileChange
  /** Directories: bytes of the files below it in this view. */
  totalBytes?: number
  /** Regular files with more than one name (hard links): the link count. */
  nlink?: number
}

export interface LayerFilesSummary {
  position: number
  diffId: string
  /** Size of the layer's EROFS file on disk; null when it is missing. */
  erofsBytes: number | null
  entries: number
  /** Bytes of regular files the layer holds. */
  fileBytes: number
  added: number
  modified: number
  deleted: number
  opaque: number
  /** Why the layer could not be read (missing file, corrupt or unsupported image); its entries are then absent. */
  error: string | null
}

/** One write to a path that an upper layer overwrote or deleted, or that overwrites or deletes a lower one. */
export interface PathWrite {
  layer: number
  action: 'added' | 'modified' | 'deleted'
  /** Bytes this write counts in dive's figures (for a deleted directory: what it deleted). */
  bytes: number
  /** True when an upper layer hides this write (its bytes are unreachable in the merged view). */
  hidden: boolean
  /** Same type and size as the write below, only mode or owner differ (contents are not compared). */
  attributesOnly: boolean
}

export interface WastedPath {
  path: string
  /** dive's CumulativeSize: the bytes of every write of the path, the visible one included. */
  cumulativeBytes: number
  /** Bytes of the writes an upper layer hides. */
  hiddenBytes: number
  writes: PathWrite[]
}

export interface FileWaste {
  /** dive's efficiency score: Σ smallest write per path / Σ all writes per path (1 when nothing is written). */
  efficiency: number
  /** dive's wasted bytes: Σ cumulativeBytes over paths written more than once. */
  wastedBytes: number
  /** Σ hiddenBytes: bytes in lower layers an overwrite or deletion makes unreachable. */
  hiddenBytes: number
  /** Paths written more than once, largest cumulativeBytes first. */
  paths: WastedPath[]
  /** Number of such paths (paths may be cut to a limit). */
  pathCount: number
}

export interface ImageFiles {
  reference: string
  manifestDigest: string | null
  /** Bottom (position 0) to top. */
  layers: LayerFilesSummary[]
  /** null: the merged view; else the layer whose entries `entries` lists. */
  layer: number | null
  /** Parents before children, names sorted at each level. */
  entries: FileRow[]
  /** The largest regular files of this view, largest first. */
  biggest: FileRow[]
  waste: FileWaste
}

// ---- Build history: the steps that made an image (OCI config `history`) ----

/** One build step, as the image's config lists it (`docker history` shows them newest first). */
export interface HistoryStep {
  /** Position in the config's `history`, 0 = the first (oldest) step. */
  index: number
  created: string | null
  /** The instruction as stored (`/bin/sh -c #(nop)  CMD ["sh"]`, `RUN /bin/sh -c apt-get … # buildkit`). */
  createdBy: string | null
  /** The same with the shell noise Docker trims (`CMD ["sh"]`, `RUN apt-get …`): what views show. */
  instruction: string
  comment: string | null
  author: string | null
  /** Steps such as ENV or CMD make no layer and take no bytes. */
  emptyLayer: boolean
  /** Position of the layer the step made (0 = bottom); null for an empty step or when steps cannot be matched. */
  layer: number | null
}

/**
 * Why an image's steps are missing or not matched to layers:
 *   'matched'      every layer has its step;
 *   'mismatch'     the config lists a different number of layer-making steps than the image has layers:
 *                  steps are listed but no layer is labelled with one (layers keep their positions);
 *   'no-history'   the config has no `history`;
 *   'no-metadata'  msb's metadata file (`manifests/<key>.json`) is missing, unreadable or describes
 *                  another manifest (a tag moved by another reference of the same name).
 */
export type HistoryState = 'matched' | 'mismatch' | 'no-history' | 'no-metadata'

export interface ImageHistory {
  reference: string
  manifestDigest: string | null
  state: HistoryState
  /** One sentence saying why, when `state` is not 'matched'. */
  note: string | null
  /** The config's `created`: when the image was built (not when msb pulled it). */
  builtAt: string | null
  /** Oldest first, as the config lists them. */
  steps: HistoryStep[]
  /** Per layer position (0 = bottom): the index of the step that made it, or null. */
  layerSteps: (number | null)[]
}

/** When each reference's image was built (its config's `created`), for the list's Built column. */
export interface BuildDate {
  reference: string
  builtAt: string | null
}

// ---- Plans and reports for remove and prune ----

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

// ---- Progress of long operations ----

/**
 * How far a remove or prune has got. Files are first moved aside (then a short grace period lets a
 * concurrent msb claim one back), then unlinked; `filesMoved` and `filesRemoved` count those two
 * passes over the same `filesTotal` files. Sent at the start (phase `deciding`, totals unknown: 0),
 * at every phase change and at most every few tens of milliseconds in between.
 */
export interface WriteProgress {
  operation: 'remove' | 'prune'
  phase: 'deciding' | 'moving' | 'waiting' | 'removing' | 'done'
  filesTotal: number
  filesMoved: number
  filesRemoved: number
  /** Bytes the planned files hold, and bytes unlinked so far. */
  bytesTotal: number
  bytesFreed: number
}

/**
 * How far a cold `usage` has got measuring files (a count: how many files the cache holds is known
 * only once every directory has been read). Sent while files are being measured, and not at all when
 * the sizes were already known.
 */
export interface UsageProgress {
  operation: 'usage'
  filesMeasured: number
}

export type OperationProgress = WriteProgress | UsageProgress

export type ProgressListener = (progress: OperationProgress) => void

// ---- The contract ----

export interface CacheApi {
  status(args: Record<string, never>): CacheStatus
  list(args: Record<string, never>): ImageHandle[]
  get(args: { reference: string }): ImageHandle
  inspect(args: { reference: string }): ImageDetail
  insight(args: { reference: string }): ImageInsight
  /** Database facts only: answers in milliseconds where `usage` measures every file first. */
  imageUse(args: Record<string, never>): ImageUse[]
  /** The first screen's rows, who uses them and the image count, for a window still loading the rest. */
  firstRows(args: Record<string, never>): FirstRows
  /** The build steps of an image and the layer each made, from msb's copy of its config. */
  history(args: { reference: string }): ImageHistory
  /** Every reference's build date (its config's `created`), in `list` order; reads one small file per image. */
  buildDates(args: Record<string, never>): BuildDate[]
  /** The merged file tree of an image (layer omitted) or one layer's entries with their changes. */
  imageFiles(args: { reference: string; layer?: number }): ImageFiles
  usage(args: Record<string, never>): CacheUsage
  selectionUsage(args: { references: string[] }): SelectionUsage
  removePlan(args: { references: string[]; force: boolean }): RemovePlan
  remove(args: { references: string[]; force: boolean; fingerprint?: string }): RemoveResult
  prunePlan(args: { scope: PruneScope }): PrunePlan
  prune(args: { scope: PruneScope; fingerprint?: string }): PruneResult
  /** The unused flat rootfs artifacts, counting the images of `removing` (references being removed; may be none) as gone. */
  flatPlan(args: { removing: string[] }): FlatPlan
  /** Deletes the planned unused flat artifacts (`paths`: their refPath, or blobPath for an orphan) under msb's locks. */
  reclaimFlat(args: { removing: string[]; paths: string[] }): FlatReclaimResult
  /**
   * Builds a small demo cache with msb in a new temporary home (never ~/.microsandbox) and switches
   * the explorer to it; answers the new home's status. `Unsupported` when msb is not installed.
   */
  openDemo(args: Record<string, never>): CacheStatus
  /** Leaves the demo cache for the home open before it, and deletes the demo's temporary home. */
  closeDemo(args: Record<string, never>): CacheStatus
  /**
   * Names the other homes whose `paths.cache` is this home's cache (replacing those named before; `[]`
   * names none). Their databases are then read before any file is deleted, and a file any of them uses
   * stays. `InvalidArgument` when a home keeps its cache elsewhere. Answers the status.
   */
  shareCacheWith(args: { homes: string[] }): CacheStatus
}

export type Operation = keyof CacheApi
export type ArgsOf<K extends Operation> = Parameters<CacheApi[K]>[0]
export type ResultOf<K extends Operation> = ReturnType<CacheApi[K]>

export interface CallOptions {
  /** Called with progress events while a remove, prune or usage runs; ignored by other operations. */
  onProgress?: ProgressListener
}

/** The contract as a transport sees it: every call is asynchronous. */
export type AsyncCacheApi = { [K in Operation]: (args: ArgsOf<K>, options?: CallOptions) => Promise<ResultOf<K>> }

/**
 * What a transport can call: the core itself, which answers directly (or with a promise where it must
 * load code first, as `openDemo` does), or a proxy to it in another thread (`AsyncCacheApi`).
 * Transports await every call, so both shapes fit.
 */
export type CallableCacheApi = {
  [K in Operation]: (args: ArgsOf<K>, options?: CallOptions) => ResultOf<K> | Promise<ResultOf<K>>
}
