// The app state: which microsandbox home is open, the home a demo cache replaced, and the homes named
// as sharing the cache. The desktop session owns it once and hands it to both its cores (the
// in-process one and the worker, also to a worker started again after a crash). Only the operations
// the operation table marks `appState` change it, and each answers the status it reads it from.
import type { CacheStatus } from './contract'

export interface AppState {
  /** undefined: the core resolves MSB_HOME / config.json / ~/.microsandbox (before any change). */
  home: string | undefined
  /** While a demo cache is open: the home open before it (closeDemo goes back there). */
  demoOf: string | null
  /** Other homes named as sharing the cache (shareCacheWith). */
  alsoHomes: string[]
}

/** The app state at the start: the home asked for (or resolved), no demo, no other home named. */
export function initialAppState(home: string | undefined, alsoHomes: string[] = []): AppState {
  return { home, demoOf: null, alsoHomes: [...alsoHomes] }
}

/** The app state a status describes (the answer of an operation that changed it). */
export function appStateOf(status: CacheStatus): AppState {
  return { home: status.home, demoOf: status.demoOf, alsoHomes: [...status.alsoHomes] }
}
