// The part of the cache state that removing some references touches, so a remove plan costs in
// proportion to the images removed, not to the cache: their manifests, those manifests' layers and
// how many manifests in the whole cache use each of those layers. Two things are read whole because
// they are small or needed whole: the references (another reference may share a metadata file, and
// aliases keep a manifest) and the pins (sandboxes and snapshots).
//
// The planners in deletion-plan.ts run on this unchanged: given these indexes they decide exactly
// what they decide on the full state (touched-state.test.ts compares the two for every reference).
import type Database from 'better-sqlite3'
import {
  type CacheState,
  type LayerRecord,
  type ManifestRecord,
  readPins,
  type RefRecord
} from '../database/cache-state'
import { indexState, type Indexes } from './deletion-plan'
import { readLineRules } from '../database/schema'

export function readTouchedState(db: Database.Database, references: string[]): { state: CacheState; ix: Indexes } {
  const refs = db
    .prepare('SELECT id, reference, manifest_id AS manifestId FROM image_ref ORDER BY id')
    .all() as RefRecord[]
  const wanted = new Set(references)
  const manifestIds = JSON.stringify([...new Set(refs.filter((r) => wanted.has(r.reference)).map((r) => r.manifestId))])
  const manifests = db
    .prepare('SELECT id, digest FROM manifest WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
    .all(manifestIds) as ManifestRecord[]
  const links = db
    .prepare(
      `SELECT manifest_id AS m, layer_id AS l FROM manifest_layer
       WHERE manifest_id IN (SELECT value FROM json_each(?)) ORDER BY manifest_id, position`
    )
    .raw()
    .all(manifestIds) as [number, number][]
  const layersOf = new Map<number, number[]>()
  for (const [m, l] of links) {
    const list = layersOf.get(m)
    if (list) list.push(l)
    else layersOf.set(m, [l])
  }
  const layerIds = JSON.stringify([...new Set(links.map(([, l]) => l))])
  const layers = db
    .prepare('SELECT id, diff_id AS diffId FROM layer WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
    .all(layerIds) as LayerRecord[]
  // Use counts over the whole cache: a layer stays while any manifest outside this set still uses it.
  const layerUse = new Map(
    db
      .prepare(
        `SELECT layer_id, COUNT(DISTINCT manifest_id) FROM manifest_layer
         WHERE layer_id IN (SELECT value FROM json_each(?)) GROUP BY layer_id`
      )
      .raw()
      .all(layerIds) as [number, number][]
  )
  const state: CacheState = { refs, manifests, layers, layersOf, ...readPins(db), rules: readLineRules(db) }
  return { state, ix: { ...indexState(state), layerUse } }
}
