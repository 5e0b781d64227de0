// The names msb gives an image's files inside the content directories (`<stem>.erofs`, `<stem>.vmdk`,
// `<key>.json`), built once per digest or reference. `usage` asks for them tens of thousands of times
// at 10,000 images (per image, per prune total, per stray check); a name built once is also a string
// whose hash the engine keeps, so every later Map lookup with it is cheap.
import type { CacheState } from '../database/cache-state'
import { digestFileStem } from './digest'
import { metadataKey } from './reference-key'

const MEMO_LIMIT = 100_000

function memoised<T>(compute: (input: string) => T): (input: string) => T {
  const memo = new Map<string, T>()
  return (input) => {
    const known = memo.get(input)
    if (known !== undefined) return known
    const value = compute(input)
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(input, value)
    return value
  }
}

/** A layer's file in `layers/`, `<stem>.erofs`, by diff id; null when it is not a sha256 digest. */
export const layerFileName = memoised((diffId) => {
  const stem = digestFileStem(diffId)
  return stem === null ? null : `${stem}.erofs`
})

/** A manifest's files: `<stem>.erofs` in `fsmeta/` and `<stem>.vmdk` in `vmdk/`. */
export interface ManifestFileNames {
  fsmeta: string
  vmdk: string
}

/** By manifest digest; null when it is not a sha256 digest. */
export const manifestFileNames = memoised((digest): ManifestFileNames | null => {
  const stem = digestFileStem(digest)
  return stem === null ? null : { fsmeta: `${stem}.erofs`, vmdk: `${stem}.vmdk` }
})

/** `<key>.json` in `manifests/`, by reference as stored (see metadataKey). */
export const metadataName = memoised((reference) => {
  const key = metadataKey(reference)
  return key === null ? null : `${key}.json`
})

/** Every metadata record the references of one state name, with the references that name each. */
export interface StateRecords {
  /** `<key>.json` → the references (as stored) whose key it is; references msb cannot parse have none. */
  referencesOf: ReadonlyMap<string, readonly string[]>
}

const recordsMemo = new WeakMap<Pick<CacheState, 'refs'>, StateRecords>()

/**
 * The records of `state`'s references, built once per state: usage asks for them three times (per-image
 * figures, unowned records, strays), each a pass over every reference.
 */
export function recordsOf(state: Pick<CacheState, 'refs'>): StateRecords {
  let records = recordsMemo.get(state)
  if (records) return records
  const referencesOf = new Map<string, string[]>()
  for (const r of state.refs) {
    const record = metadataName(r.reference)
    if (record === null) continue
    const same = referencesOf.get(record)
    if (same) same.push(r.reference)
    else referencesOf.set(record, [r.reference])
  }
  records = { referencesOf }
  recordsMemo.set(state, records)
  return records
}

/** `<64 hex>.json` */
const KEY_NAME_LENGTH = 64 + '.json'.length
const keysMemo = new WeakMap<Pick<CacheState, 'refs'>, ReadonlySet<string>>()

/**
 * Whether `manifests/<name>` is the record of some reference of `state`. Through `recordsOf` when a
 * caller built it already (usage does); else through the set of keys alone, which a removal needs
 * and which costs a third of building the records with their references.
 */
export function isOwnedRecord(state: Pick<CacheState, 'refs'>): (name: string) => boolean {
  const records = recordsMemo.get(state)
  if (records) return (name) => records.referencesOf.has(name)
  let keys = keysMemo.get(state)
  if (!keys) {
    const set = new Set<string>()
    for (const r of state.refs) {
      const key = metadataKey(r.reference)
      if (key !== null) set.add(key)
    }
    keysMemo.set(state, (keys = set))
  }
  const owned = keys
  return (name) => name.length === KEY_NAME_LENGTH && name.endsWith('.json') && owned.has(name.slice(0, 64))
}
