// The Cache's flat rootfs artifacts: which are unused (flat-artifacts.ts), counting the images being
// removed as gone, and deleting those the user approved under msb's locks (flat-reclaim.ts).
import type { FlatPlan, FlatReclaimResult } from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import type { CacheContext } from './cache-context'
import { statusOf } from './cache-reads'
import { readCacheState } from './database/cache-state'
import { contentPath } from './homes/cache-paths'
import { metadataName } from './homes/file-names'
import { indexState } from './planning/deletion-plan'
import { flatOf } from './usage/usage-report'
import { reclaimFlat } from './writing/flat-reclaim'

/**
 * The unused flat rootfs artifacts, counting the images of `removing` as being removed: a prune's or
 * remove's own plan names them, so its dialog can offer their flat bytes too.
 */
export function flatPlanOf(ctx: CacheContext, removing: string[]): FlatPlan {
  const artifacts = flatArtifacts(ctx, removing).filter((a) => a.unused)
  return {
    artifacts,
    logicalBytes: artifacts.reduce((n, a) => n + a.reclaimLogicalBytes, 0),
    allocatedBytes: artifacts.reduce((n, a) => n + a.reclaimAllocatedBytes, 0)
  }
}

/** Deletes the planned unused flat artifacts still unused now, under msb's locks (flat-reclaim.ts). */
export function reclaimFlatOf(ctx: CacheContext, references: string[], paths: string[]): FlatReclaimResult {
  const status = statusOf(ctx)
  if (status.readOnly)
    throw new CacheError(
      'SchemaUnsupported',
      `refusing to change the cache: ${status.readOnlyReason ?? 'it is read-only'}`
    )
  const side = ctx.reads.get()
  const read = () => {
    if (!side) return { state: null, removing: new Set<string>() }
    return ctx.reads.guard(() =>
      side.db.transaction(() => {
        const state = readCacheState(side.db)
        return { state, removing: removingDigests(state, references) }
      })()
    )
  }
  const { state, removing } = read()
  const metadataOf = (digest: string) => {
    const m = state?.manifests.find((x) => x.digest === digest)
    const names = m ? state!.refs.filter((r) => r.manifestId === m.id).map((r) => r.reference) : []
    return [...names, ...references]
      .map((r) => metadataName(r))
      .filter((n): n is string => n !== null)
      .map((n) => contentPath('manifests', n))
  }
  try {
    return reclaimFlat({
      cacheDir: ctx.location.cacheDir,
      home: ctx.location.home,
      context: {
        manifests: new Set(state?.manifests.map((m) => m.digest) ?? []),
        referenced: new Set(state?.refs.map((r) => state.manifests.find((m) => m.id === r.manifestId)?.digest ?? '')),
        removing,
        starting: new Set(state?.startingPins.keys() ?? [])
      },
      approved: new Set(paths),
      metadataOf
    })
  } finally {
    ctx.usageMemo = null
  }
}

function removingDigests(state: ReturnType<typeof readCacheState>, references: string[]): Set<string> {
  const ix = indexState(state)
  const out = new Set<string>()
  for (const r of references) {
    const ref = ix.refByName.get(r)
    const m = ref ? ix.manifestById.get(ref.manifestId) : undefined
    // Only when no other reference keeps the image.
    if (m && (ix.refsByManifest.get(m.id) ?? []).every((x) => references.includes(x.reference))) out.add(m.digest)
  }
  return out
}

function flatArtifacts(ctx: CacheContext, references: string[]) {
  const side = ctx.reads.get()
  if (!side) return flatOfNothing(ctx.location.cacheDir)
  return ctx.reads.guard(() =>
    side.db.transaction(() => {
      const state = readCacheState(side.db)
      return flatOf(state, indexState(state), ctx.location.cacheDir, removingDigests(state, references))
    })()
  )
}

function flatOfNothing(cacheDir: string) {
  const state = {
    refs: [],
    manifests: [],
    layers: [],
    layersOf: new Map(),
    rootfsPins: new Map(),
    startingPins: new Map(),
    snapshotPins: new Map()
  }
  return flatOf(state, indexState(state), cacheDir)
}
