// What msb does not give about the home itself: its status, schema and sandboxes.

import type { MsbInUse } from './plans'

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
