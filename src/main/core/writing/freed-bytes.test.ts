// The figure a user decides on before removing is the figure the removal then reports: for every
// reference of the fixture caches (built by msb 0.6.18), `usage().images[i].freedBytes` equals the
// `totalBytes` of that reference's remove plan, and for random selections `selectionUsage` equals the
// plan of removing them together. Both sides are the core's, but computed by different code: the
// usage figure in one batch pass over all references, the plan by the planner and its file list.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildScenario, randomScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { prng } from '../../../../test-support/fixtures/prng'
import { type Cache, openCache } from '../cache'

const seed = Number(process.env.ICE_SEED ?? Date.now()) % 2 ** 31
console.log(`freed-bytes: random cache seed ${seed} (replay with ICE_SEED=${seed})`)

const fixtures: { name: string; home: string; cache: Cache }[] = []

beforeAll(() => {
  for (const [name, scenario] of [
    ['standard', standardScenario()],
    [`random seed=${seed}`, randomScenario(seed, 40)]
  ] as const) {
    const home = mkdtempSync(join(tmpdir(), 'ice-freed-'))
    buildScenario(home, scenario)
    fixtures.push({ name, home, cache: openCache({ home }) })
  }
})
afterAll(() => {
  for (const f of fixtures) {
    f.cache.close()
    rmSync(f.home, { recursive: true, force: true })
  }
})

describe('freed bytes shown equal the remove plan', () => {
  it('for every single reference (with --force for images in use)', () => {
    for (const f of fixtures) {
      const usage = f.cache.usage()
      expect(usage.images.length, f.name).toBeGreaterThan(3)
      for (const image of usage.images) {
        const plan = f.cache.removePlan({ references: [image.reference], force: true })
        expect(image.freedBytes, `${f.name}: ${image.reference}`).toBe(plan.totalBytes)
      }
    }
  })

  it('is smaller than the per-image cost where other tags or pins keep the data', () => {
    const usage = fixtures[0].cache.usage()
    const aliased = usage.images.filter((i) => i.aliases.length > 0 && i.uniqueBytes > 10_000)
    const pinned = usage.images.filter((i) => i.snapshots.length > 0 || i.sandboxes.length > 0)
    expect(aliased.length).toBeGreaterThan(0)
    expect(pinned.length).toBeGreaterThan(0)
    for (const i of [...aliased, ...pinned]) expect(i.freedBytes, i.reference).toBeLessThan(i.uniqueBytes)
  })

  it('names the references that share a metadata file, which their removal then leaves', () => {
    const images = fixtures[0].cache.usage().images
    const sharing = images.filter((i) => i.sharesMetadataWith.length > 0)
    expect(sharing.map((i) => [i.reference, i.sharesMetadataWith]).sort()).toEqual([
      ['alpine', ['docker.io/library/alpine:latest']],
      ['docker.io/library/alpine:latest', ['alpine']]
    ])
    for (const f of fixtures) {
      for (const image of f.cache.usage().images) {
        const plan = f.cache.removePlan({ references: [image.reference], force: true })
        const metadata = plan.files.filter((file) => file.kind === 'metadata')
        if (image.sharesMetadataWith.length > 0) expect(metadata, `${f.name}: ${image.reference}`).toEqual([])
        else expect(metadata.length, `${f.name}: ${image.reference}`).toBe(1)
      }
    }
  })

  it('for random selections, removed together', () => {
    const random = prng(seed)
    for (const f of fixtures) {
      const references = f.cache.usage().images.map((i) => i.reference)
      for (let round = 0; round < 25; round++) {
        const picked = references.filter(() => random() < 0.3)
        if (picked.length === 0) continue
        const plan = f.cache.removePlan({ references: picked, force: true })
        const shown = f.cache.selectionUsage({ references: picked })
        expect(shown.freedBytes, `${f.name}: ${picked.join(' ')}`).toBe(plan.totalBytes)
        const perReference = f.cache.usage().images.filter((i) => picked.includes(i.reference))
        expect(shown.inUse.sort()).toEqual(
          perReference
            .filter((i) => i.sandboxes.length > 0)
            .map((i) => i.reference)
            .sort()
        )
        // Why the data stays, as the selection bar says it: the images' unselected tags and their pins.
        const union = (list: string[]) => [...new Set(list)].sort()
        expect(shown.dataStays.otherTags.sort()).toEqual(
          union(perReference.flatMap((i) => i.aliases)).filter((r) => !picked.includes(r))
        )
        expect(union(shown.dataStays.sandboxes.map((x) => x.name))).toEqual(
          union(perReference.flatMap((i) => i.sandboxes.map((x) => x.name)))
        )
        expect(union(shown.dataStays.snapshots)).toEqual(union(perReference.flatMap((i) => i.snapshots)))
      }
    }
  })
})

describe('dangling data shown equals what the dangling prune removes', () => {
  it('item for item and byte for byte', () => {
    let seen = 0
    for (const f of fixtures) {
      const usage = f.cache.usage()
      const plan = f.cache.prunePlan({ scope: { kind: 'dangling' } })
      const names = (kind: string) =>
        usage.dangling
          .filter((d) => d.kind === kind)
          .map((d) => d.name)
          .sort()
      expect(names('manifest'), f.name).toEqual([...plan.manifests].sort())
      expect(names('layer'), f.name).toEqual([...plan.layers].sort())
      const stem = (d: string) => d.replace(':', '_')
      const ofRows = new Set([
        ...plan.manifests.flatMap((m) => [`fsmeta/${stem(m)}.erofs`, `vmdk/${stem(m)}.vmdk`]),
        ...plan.layers.map((l) => `layers/${stem(l)}.erofs`)
      ])
      expect(names('file'), f.name).toEqual(
        plan.files
          .filter((p) => !ofRows.has(p.path))
          .map((p) => p.path)
          .sort()
      )
      expect(usage.danglingBytes, f.name).toBe(plan.totalBytes)
      expect(usage.dangling.reduce((n, d) => n + d.bytes, 0)).toBe(plan.totalBytes)
      // No image reference is dangling: tagged or digest-pinned, a reference is an image.
      expect(plan.references).toEqual([])
      seen += usage.dangling.length
    }
    expect(seen, 'the fixtures hold dangling data').toBeGreaterThan(0)
  })
})
