// A removal's storage leases: before deleting a content file the explorer holds msb's exclusive lease on
// it, as msb 0.7.7+'s deleters do (sdk/rust/lib/image/cleanup.rs @3129f858, `admit`), so a running `msb
// create`, `pull` or `load` that reads or publishes the file (holding the lease shared) keeps it. On homes of
// older msb nobody else takes them, and they cost one small lock file per entry (never deleted).
//
// Unlike msb, which tries its leases inside the catalog transaction, the explorer takes them all before
// BEGIN IMMEDIATE, in the order msb visits its groups (references' metadata JSON, manifests' fsmeta and vmdk,
// layers), and inside the transaction deletes only the groups whose leases it already holds: a lease is never
// even tried while SQLite's write lock is held. A group that could not be leased (busy, or past the batch's
// bound) is left to the next batch or reported skipped.
//
// The bound: msb holds at most 48 leases a batch, only to "bound descriptors even when pruning thousands of
// independent manifests" (cleanup.rs @3129f858, `admit`); nothing in the lease protocol depends on it (readers
// and publishers take their shared lease before their transaction and deleters never wait, so a deleter holding
// more only keeps a reader of a doomed file waiting a little longer, for a file it would not find anyway). The
// explorer holds up to EXPLORER_LEASE_BATCH: every batch costs a transaction, a journal (two fsyncs), an owner
// lock, the signs of a running msb (a /proc/locks read waits ~10 ms in the kernel) and the claim sources read
// again, and 48 made a prune of 10,000 images ~600 batches. 4,096 makes it ~10 (37,673 entries); 1,024 (~37)
// took ~1 s more of a ~5 s prune, and 8,192 or one batch for all no less (BENCHMARKS.md); a batch's transaction
// then holds the write lock ~0.1 s. When the process runs out of descriptors first (EMFILE), the batch ends there
// and gives a reserve back for its own files.
import { join } from 'node:path'
import type { HeldLock } from '../locks/flock'
import { createLeaseFiles, releaseAll, tryExclusiveLease } from '../locks/storage-lease'
import { contentDirectory } from '../homes/cache-paths'
import type { ContentDir } from '../homes/cache-paths'
import type { CacheState, ManifestRecord, RefRecord } from '../database/cache-state'
import type { RowDecision } from '../planning/deletion-plan'
import { layerFileName, manifestFileNames, metadataName } from '../homes/file-names'

/** msb's bound on the leases one batch holds ("Bound descriptors even when pruning thousands"). */
export const LEASE_BATCH = 48
/** The explorer's bound (see above): a prune of 10,000 images is ~10 batches instead of ~600. */
export const EXPLORER_LEASE_BATCH = 4096
/** Descriptors given back when the process ran out of them: the batch's journal, database and reads need some. */
const DESCRIPTOR_RESERVE = 64

export class RemovalLeases {
  private readonly held = new Map<string, HeldLock>()
  /** Entry paths found leased by someone else: their groups are skipped for the rest of the operation. */
  private readonly busy = new Set<string>()
  private readonly dirs = new Map<string, string | null>()
  /** Each content folder's lease folder, resolved and made once per removal (storage-lease.ts). */
  private readonly leaseFolders = new Map<string, string>()
  /** Groups skipped because a lease was busy (msb's `skipped_in_use`), over the whole operation. */
  skippedInUse = 0
  /** The entries of the first busy group, for the message of a refused remove. */
  firstBusy: string[] | null = null
  /** Some group was left for a later batch (the batch was full, or the decision grew meanwhile). */
  more = false
  private gaveBack = false

  constructor(
    private readonly cacheDir: string,
    private readonly bound = EXPLORER_LEASE_BATCH
  ) {}

  /**
   * Before BEGIN: takes the leases of the groups `decision` would delete, all of a group or none, never
   * waiting, until the batch is full. Answers the decision cut to the groups leased.
   */
  acquire(decision: RowDecision, state: CacheState): RowDecision {
    this.more = false
    this.gaveBack = false
    // Once the batch is full nothing more is tried: the rest waits for the next batch, and is not even
    // named (a reference's lease path costs a sha256), so a batch costs in proportion to itself.
    const leased = this.gate(decision, state, (paths) => !this.more && this.tryGroup(paths()))
    // Out of descriptors: the groups whose leases were given back are not this batch's (nor marked tried).
    return this.gaveBack ? this.gate(leased, state, (paths) => paths().every((p) => this.held.has(p))) : leased
  }

  /**
   * Before the first batch of a write larger than one batch: starts making the lease files of every group
   * `decision` may delete on a helper thread, before anything is deleted (storage-lease.ts, createLeaseFiles:
   * why it is faster). The write does not wait for it; the answer's `wait()` is for tests.
   */
  prepare(decision: RowDecision, state: CacheState): { wait(): void } {
    const paths: string[] = []
    this.gate(decision, state, (group) => {
      for (const p of group()) paths.push(p)
      return true
    })
    return paths.length > this.bound ? createLeaseFiles(paths, this.leaseFolders) : { wait: () => undefined }
  }

  /** Inside the transaction: the decision cut to the groups whose leases are held; nothing is tried. */
  restrict(decision: RowDecision, state: CacheState): RowDecision {
    return this.gate(decision, state, (group) => {
      const paths = group()
      if (paths.some((p) => this.busy.has(p))) return false
      if (paths.every((p) => this.held.has(p))) return true
      this.more = true
      return false
    })
  }

  /** Releases every lease (after the files are unlinked, or when the batch failed). */
  release(): void {
    releaseAll([...this.held.values()])
    this.held.clear()
  }

  /**
   * The decision without the groups `admit` refuses: a reference whose metadata JSON is refused stays, so
   * its manifest stays; a manifest whose fsmeta or vmdk is refused (or kept by its reference) stays, so its
   * layers stay; a refused layer or stray file stays.
   */
  private gate(decision: RowDecision, state: CacheState, admit: (paths: () => string[]) => boolean): RowDecision {
    const keptRefManifests = new Set<number>()
    const refs = decision.refs.filter((r) => admit(() => this.refPaths(r)) || void keptRefManifests.add(r.manifestId))
    const keptLayers = new Set<number>()
    const manifests = decision.manifests.filter((m) => {
      if (!keptRefManifests.has(m.id) && admit(() => this.manifestPaths(m))) return true
      for (const id of state.layersOf.get(m.id) ?? []) keptLayers.add(id)
      return false
    })
    const layers = decision.layers.filter((l) => !keptLayers.has(l.id) && admit(() => this.layerPaths(l.diffId)))
    const strays = decision.strays.filter((s) => {
      const [dir, name] = s.path.split('/')
      return admit(() => this.paths(dir as ContentDir, [name]))
    })
    return { ...decision, refs, manifests, layers, strays }
  }

  private tryGroup(paths: string[]): boolean {
    if (paths.some((p) => this.busy.has(p))) return false
    const needed = paths.filter((p) => !this.held.has(p))
    if (this.held.size + needed.length > this.bound) {
      this.more = true
      return false
    }
    const taken: [string, HeldLock][] = []
    for (const path of needed) {
      let lease: HeldLock | null
      try {
        lease = tryExclusiveLease(path, this.leaseFolders)
      } catch (error) {
        releaseAll(taken.map(([, l]) => l))
        if (!isOutOfDescriptors(error) || this.held.size === 0) throw error
        this.giveBack(DESCRIPTOR_RESERVE)
        this.more = true
        return false
      }
      if (!lease) {
        releaseAll(taken.map(([, l]) => l))
        for (const p of paths) this.busy.add(p)
        this.skippedInUse += 1
        this.firstBusy ??= paths
        return false
      }
      taken.push([path, lease])
    }
    for (const [path, lease] of taken) this.held.set(path, lease)
    return true
  }

  /**
   * Releases the `count` leases taken last. Their groups are then not wholly held, so `restrict` leaves them
   * (and what depends on them) to the next batch.
   */
  private giveBack(count: number): void {
    this.gaveBack = true
    const last = [...this.held.keys()].slice(-count)
    for (const path of last) {
      this.held.get(path)?.release()
      this.held.delete(path)
    }
  }

  private refPaths(r: RefRecord): string[] {
    const name = metadataName(r.reference)
    return name ? this.paths('manifests', [name]) : []
  }

  private manifestPaths(m: ManifestRecord): string[] {
    const names = manifestFileNames(m.digest)
    if (!names) return []
    return [...this.paths('fsmeta', [names.fsmeta]), ...this.paths('vmdk', [names.vmdk])]
  }

  private layerPaths(diffId: string): string[] {
    const name = layerFileName(diffId)
    return name ? this.paths('layers', [name]) : []
  }

  /** Entry paths in their real content folder; none when the folder is missing (no file there to delete). */
  private paths(dir: ContentDir, names: string[]): string[] {
    if (!this.dirs.has(dir)) this.dirs.set(dir, contentDirectory(this.cacheDir, dir))
    const real = this.dirs.get(dir)
    return real ? names.map((n) => join(real, n)) : []
  }
}

function isOutOfDescriptors(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'EMFILE' || code === 'ENFILE'
}
