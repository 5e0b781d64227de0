// The batch bound of a removal's leases, and what a batch does when the process runs out of descriptors.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import type { CacheState } from '../database/cache-state'
import type { RowDecision } from '../planning/deletion-plan'
import type * as StorageLease from '../locks/storage-lease'

const failAfter = { count: Infinity }
vi.mock('../locks/storage-lease', async (original) => {
  const real = await original<typeof StorageLease>()
  return {
    ...real,
    tryExclusiveLease: (path: string, folders?: Map<string, string>) => {
      if (failAfter.count-- <= 0) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })
      return real.tryExclusiveLease(path, folders)
    }
  }
})
const { RemovalLeases } = await import('./removal-leases')

const root = mkdtempSync(join(tmpdir(), 'removal-leases-'))
const cacheDir = join(root, 'cache')
for (const d of ['manifests', 'fsmeta', 'vmdk', 'layers']) mkdirSync(join(cacheDir, d), { recursive: true })
afterAll(() => rmSync(root, { recursive: true, force: true }))
afterEach(() => void (failAfter.count = Infinity))

const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`
/** `n` unreferenced manifests: a group of two leases each (fsmeta and vmdk). */
function manifests(n: number): { decision: RowDecision; state: CacheState } {
  const list = Array.from({ length: n }, (_, i) => ({ id: i + 1, digest: digest(i + 1) }))
  const state = {
    refs: [],
    manifests: list,
    layers: [],
    layersOf: new Map(),
    rootfsPins: new Map(),
    startingPins: new Map(),
    snapshotPins: new Map()
  } as CacheState
  return { decision: { refs: [], manifests: list, layers: [], kept: [], heldBy: [], strays: [] }, state }
}

describe('removal leases', () => {
  it('a batch holds whole groups up to its bound; the rest is left for the next batch', () => {
    const { decision, state } = manifests(5)
    const leases = new RemovalLeases(cacheDir, 5)
    const first = leases.acquire(decision, state)
    expect(first.manifests.map((m) => m.id)).toEqual([1, 2])
    expect(leases.more).toBe(true)
    expect(leases.restrict(decision, state).manifests.map((m) => m.id)).toEqual([1, 2])
    leases.release()
    leases.release()
  })

  it('out of descriptors: the batch ends, gives leases back, and names only the groups it still wholly holds', () => {
    const { decision, state } = manifests(100)
    // 150 leases taken, then EMFILE: 64 given back leaves 86 leases, i.e. 43 whole groups.
    failAfter.count = 150
    const leases = new RemovalLeases(cacheDir, 1024)
    const leased = leases.acquire(decision, state)
    expect(leases.more).toBe(true)
    expect(leased.manifests.map((m) => m.id)).toEqual(Array.from({ length: 43 }, (_, i) => i + 1))
    expect(leases.restrict(decision, state).manifests).toEqual(leased.manifests)
    expect(leases.skippedInUse).toBe(0)
    leases.release()
  })

  it('a removal larger than one batch has every lease file made before its first batch; one batch makes none ahead', () => {
    const fresh = join(root, 'ahead')
    for (const d of ['manifests', 'fsmeta', 'vmdk', 'layers']) mkdirSync(join(fresh, d), { recursive: true })
    const leaseFiles = () =>
      ['fsmeta', 'vmdk'].flatMap((d) => {
        const folder = join(fresh, d, '.msb-leases')
        return existsSync(folder) ? readdirSync(folder) : []
      })
    const { decision, state } = manifests(5)
    new RemovalLeases(fresh, 10).prepare(decision, state).wait()
    expect(leaseFiles()).toHaveLength(0)
    const leases = new RemovalLeases(fresh, 4)
    // Made on a helper thread: the write goes on meanwhile, the test waits.
    leases.prepare(decision, state).wait()
    // Five groups of two, made before the first batch holds any.
    expect(leaseFiles()).toHaveLength(10)
    expect(leases.acquire(decision, state).manifests.map((m) => m.id)).toEqual([1, 2])
    leases.release()
  })

  it('out of descriptors before any lease is held: the error is raised', () => {
    const { decision, state } = manifests(3)
    failAfter.count = 0
    expect(() => new RemovalLeases(cacheDir, 1024).acquire(decision, state)).toThrow(/EMFILE/)
  })
})
