// What one Cache works on: the home it has open and everything derived from it (its files, the homes
// sharing them, the planner, the read connection), the plans shown to the user and the usage memo.
// The Cache façade (cache.ts) owns one; the read, plan, write and flat-artifact modules take it.
// Moving to another home (openDemo, closeDemo, adopt) or naming other homes replaces what depended
// on the old one and forgets plans and memos made before.
import type { CacheUsage } from '../../shared/contract'
import { ApprovedPlans } from './planning/approved-plans'
import { CacheFiles } from './files/cache-files'
import { cacheRevision } from './files/cache-revision'
import { type CacheLocation, type LocateOptions, locateCache } from './homes/home'
import type { DemoBuilder } from './demo-switch'
import type { ImageFilesReader } from './layer-files/image-files'
import { Planner } from './planning/planner'
import { type Sharing, sharingOf } from './planning/shared-cache'
import { ReadSide } from './database/read-side'
import { SizeStore } from './files/size-store'
import { ListingStore } from './usage/listing-store'
import { join } from 'node:path'
import { appliedMigrations, chooseMsb } from './writing/msb-delegation'

export interface CacheOptions extends LocateOptions {
  /** How long files moved aside wait for a concurrent msb to claim them again (ms), when one may be at work. */
  graceMs?: number
  /** Wait that long even when nothing says an msb is at work (tests of the put-back itself). */
  graceAlways?: boolean
  /** How the grace period is waited; a blocking sleep by default (tests end it when their step is done). */
  graceWait?: (ms: number) => void
  /** How long a write waits for msb's install lease to pass before refusing (2 s by default). */
  leaseWaitMs?: number
  /** At most this many storage leases a batch (removal-leases.ts EXPLORER_LEASE_BATCH); tests make it small. */
  leaseBatch?: number
  /** Minimum age of an unreferenced file before a dangling prune takes it (ms). */
  strayMarginMs?: number
  busyTimeoutMs?: number
  /** Builds demo caches (`openDemo`); without one the status says no demo is available. */
  demo?: DemoBuilder
  /**
   * Where file sizes are kept between sessions (size-store.ts; `defaultSizeStoreDir()` for the
   * programs). Without it every new Cache measures every file once.
   */
  sizeStoreDir?: string
  /** Other homes whose caches are this cache (`--also-home`): their files are kept (shared-cache.ts). */
  alsoHomes?: string[]
}

export class CacheContext {
  location: CacheLocation
  files: CacheFiles
  sharing: Sharing
  planner: Planner
  reads: ReadSide
  /** Layer trees read so far, for the cache directory they were read in. */
  fileReader: ImageFilesReader | null = null
  /**
   * Plans shown to the user, by fingerprint, so a confirmation deletes no more than was shown; with the
   * manifest each planned reference pointed at, so a reference msb moved since is not deleted.
   */
  readonly approvedPlans = new ApprovedPlans()
  usageMemo: { revision: string; usage: CacheUsage } | null = null
  /** Listings kept between runs of the built `ice` (listing-store.ts), where sizes are kept. */
  readonly listings: ListingStore | null
  /** While a demo cache is open: the home that was open before it (closeDemo goes back there). */
  demoOf: string | null = null

  constructor(
    location: CacheLocation,
    readonly options: CacheOptions = {}
  ) {
    this.location = location
    this.files = this.newFiles()
    this.sharing = sharingOf(location, options.alsoHomes, this.env)
    this.planner = new Planner(this.files, this.sharing, options.strayMarginMs)
    this.reads = new ReadSide(location.dbPath, location.problem)
    this.listings = options.sizeStoreDir ? new ListingStore(join(options.sizeStoreDir, 'listings')) : null
  }

  get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env
  }

  revision(): string {
    return cacheRevision(this.location)
  }

  /** The installed msb that knows this home's migrations, or which one it needs (null: no database). */
  msbChoice(): ReturnType<typeof chooseMsb> | null {
    const side = this.reads.get()
    if (!side) return null
    const applied = this.reads.guard(() => appliedMigrations(side.db))
    return chooseMsb(this.location.home, applied, this.env)
  }

  /** Names the other homes sharing the cache; validated first, so a conflicting home changes nothing. */
  shareWith(homes: string[]): void {
    const sharing = sharingOf(this.location, homes, this.env)
    this.sharing = sharing
    this.planner = new Planner(this.files, sharing, this.options.strayMarginMs)
    // Plans made before counted other homes differently.
    this.approvedPlans.clear()
    this.usageMemo = null
  }

  /** Points at another home (openDemo, closeDemo, adopt). */
  moveTo(home: string, demoOf: string | null = null): void {
    this.demoOf = demoOf
    this.close()
    this.location = locateCache({ home, env: this.options.env })
    this.files = this.newFiles()
    // A demo home shares nothing.
    this.sharing = sharingOf(this.location, [], this.env)
    this.planner = new Planner(this.files, this.sharing, this.options.strayMarginMs)
    this.reads = new ReadSide(this.location.dbPath, this.location.problem)
    // Plans and memos describe the previous home.
    this.approvedPlans.clear()
    this.usageMemo = null
  }

  close(): void {
    this.reads.close()
  }

  private newFiles(): CacheFiles {
    const dir = this.options.sizeStoreDir
    return new CacheFiles(this.location.cacheDir, dir ? { store: new SizeStore(dir) } : {})
  }
}
