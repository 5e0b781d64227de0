// Remove, proved against msb itself: each case runs the explorer's remove on one copy of a home and
// `msb image rm` on an identical copy, then compares the rows and the files left. Where the explorer
// departs from msb on purpose (a metadata file another reference still needs; force removal of an
// image a sandbox uses) the test asserts exactly that difference and nothing else. Every case runs
// against msb 0.6.18 and 0.7.2, each on a home it built (helpers pick the msb a home needs).
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CacheError } from '../../../shared/errors'
import { buildCache } from '../../demo/build-cache'
import { MSB_VERSIONS, runMsb } from '../../demo/msb'
import { buildScenario, standardScenario, type BuiltScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'
import { metadataKey } from '../homes/reference-key'
import { cacheFiles, cachePaths, copyHome, dumpRows, tempDir } from '../../../../test-support/core/cache-dump'
import { deletedBetween, planned } from '../../../../test-support/core/deletion-diff'
import { checkImages } from '../../../../test-support/core/image-integrity'

describe.each(MSB_VERSIONS)('remove against msb %s', (version) => {
  let base: string
  let built: BuiltScenario
  const dirs: string[] = []

  beforeAll(() => {
    const dir = tempDir('ice-remove-')
    dirs.push(dir)
    base = join(dir, 'home')
    const scenario = standardScenario()
    built = buildScenario(base, scenario, { msb: version })
    // An unpinned pair of references that msb stores under one metadata file (`busybox` normalises to
    // `docker.io/library/busybox:latest`).
    const busybox = scenario.entries.find((e) => e.reference === 'busybox')!.image
    buildCache(base, [{ reference: 'docker.io/library/busybox:latest', image: busybox }], { msb: version })
  })

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  function copy(): string {
    const home = copyHome(base)
    dirs.push(dirname(home))
    return home
  }

  /** Our remove on one copy, msb's on another; returns both homes and what ours reported. */
  function removeBoth(references: string[], force = false) {
    const ours = copy()
    const theirs = copy()
    const rowsBefore = dumpRows(ours)
    const filesBefore = cacheFiles(ours)
    const cache = openCache({ home: ours, graceMs: 0 })
    const plan = cache.removePlan({ references, force })
    const result = cache.remove({ references, force })
    cache.close()
    const msb = runMsb(theirs, ['image', 'rm', ...(force ? ['--force'] : []), ...references], { allowFail: true })
    const deleted = deletedBetween(rowsBefore, dumpRows(ours), filesBefore, cacheFiles(ours))
    // The preview is exactly what then went, and the result says so.
    expect(planned(plan)).toEqual(deleted)
    expect(result.removed.sort()).toEqual(plan.references.sort())
    expect(result.manifestsRemoved).toBe(plan.manifests.length)
    expect(result.layersRemoved).toBe(plan.layers.length)
    expect(result.filesRemoved).toBe(plan.files.length)
    expect(result.bytesReclaimed).toBe(plan.totalBytes)
    expect(result.differences).toEqual([])
    return { ours, theirs, plan, result, msb, deleted }
  }

  function expectSameCache(ours: string, theirs: string): void {
    expect(dumpRows(ours)).toEqual(dumpRows(theirs))
    expect(cachePaths(ours)).toEqual(cachePaths(theirs))
  }

  describe('remove matches msb image rm', () => {
    it('removes the sole reference of an image with unique layers: ref, manifest, layers and all its files', () => {
      const ref = 'gcr.io/distroless/static:nonroot'
      const { ours, theirs, msb, deleted } = removeBoth([ref])
      expect(msb.status).toBe(0)
      expectSameCache(ours, theirs)
      expect(deleted.references).toEqual([ref])
      expect(deleted.manifests).toHaveLength(1)
      expect(deleted.layers).toHaveLength(1)
      expect(deleted.files.map((f) => f.path.split('/')[0]).sort()).toEqual(['fsmeta', 'layers', 'manifests', 'vmdk'])
    })

    it('keeps the layers another image still uses', () => {
      const ref = 'docker.io/library/redis:7'
      const { ours, theirs, msb, deleted } = removeBoth([ref])
      expect(msb.status).toBe(0)
      expectSameCache(ours, theirs)
      // redis = base-os + libc (shared) + its own layer: only its own goes.
      expect(deleted.layers).toHaveLength(1)
      const redis = built.references.get(ref)!
      expect(deleted.layers).toEqual([redis.layers[2].diffId])
    })

    it('removes one alias of a manifest with several tags: the manifest stays', () => {
      const { ours, theirs, msb, deleted } = removeBoth(['ghcr.io/acme/tool:1.2'])
      expect(msb.status).toBe(0)
      expectSameCache(ours, theirs)
      expect(deleted.manifests).toEqual([])
      expect(deleted.layers).toEqual([])
      expect(deleted.files.map((f) => f.path)).toEqual([`manifests/${metadataKey('ghcr.io/acme/tool:1.2')}.json`])
    })

    it('differs from msb on purpose only in the metadata file another reference still needs', () => {
      // `busybox` and `docker.io/library/busybox:latest` share manifests/<key>.json: msb deletes it with
      // `busybox`, leaving the other reference without its metadata; the explorer keeps it.
      const { ours, theirs, msb, deleted } = removeBoth(['busybox'])
      expect(msb.status).toBe(0)
      expect(dumpRows(ours)).toEqual(dumpRows(theirs))
      const shared = `manifests/${metadataKey('docker.io/library/busybox:latest')}.json`
      expect(metadataKey('busybox')).toBe(metadataKey('docker.io/library/busybox:latest'))
      const oursFiles = cachePaths(ours)
      const theirFiles = cachePaths(theirs)
      expect(oursFiles.filter((p) => !theirFiles.includes(p))).toEqual([shared])
      expect(theirFiles.filter((p) => !oursFiles.includes(p))).toEqual([])
      expect(deleted.files).toEqual([])
    })
  })

  describe('images in use', () => {
    it('without force: ImageInUse naming each sandbox, and nothing changes', () => {
      const home = copy()
      const rows = dumpRows(home)
      const files = cacheFiles(home)
      const cache = openCache({ home, graceMs: 0 })
      // busybox is free, app:1.0 is used by web-1, alpine (through its alias) by scratch: none goes.
      const references = ['busybox', 'localhost:5000/team/app:1.0', 'alpine']
      let error: unknown
      try {
        cache.remove({ references, force: false })
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(CacheError)
      const e = error as CacheError
      expect(e.code).toBe('ImageInUse')
      const sandboxes = (e.details as { sandboxes: { name: string; status: string }[] }).sandboxes
      expect(sandboxes.map((s) => [s.name, s.status])).toEqual([
        ['web-1', 'Running'],
        ['scratch', 'Stopped']
      ])
      expect(e.message).toContain('web-1 (Running)')
      expect(e.message).toContain('scratch (Stopped)')
      expect(() => cache.removePlan({ references, force: false })).toThrow(/are in use by sandboxes web-1/)
      cache.close()
      expect(dumpRows(home)).toEqual(rows)
      expect(cacheFiles(home)).toEqual(files)
      // msb agrees it is in use (it names sandbox ids).
      const msb = runMsb(copy(), ['image', 'rm', 'localhost:5000/team/app:1.0'], { allowFail: true })
      expect(msb.status).not.toBe(0)
      expect(msb.stderr).toContain('image in use by sandbox(es): 1')
    })

    it('with force on the last reference of a pinned image: msb fails, the explorer keeps the data for the sandbox', () => {
      const ref = 'localhost:5000/team/app:1.0'
      const pinned = built.references.get(ref)!
      const { ours, theirs, msb, result, deleted } = removeBoth([ref], true)

      // msb's bug, documented: the RESTRICT foreign key of sandbox_rootfs fails the whole removal.
      expect(msb.status).not.toBe(0)
      expect(msb.stderr).toContain('FOREIGN KEY constraint failed')
      expect(dumpRows(theirs)).toEqual(dumpRows(base))
      expect(cachePaths(theirs)).toEqual(cachePaths(base))

      // Ours: the reference (and its metadata file) go; manifest, layers, fsmeta and vmdk stay for web-1.
      expect(result.removed).toEqual([ref])
      expect(result.heldBy.map((s) => [s.name, s.status])).toEqual([['web-1', 'Running']])
      expect(deleted.manifests).toEqual([])
      expect(deleted.layers).toEqual([])
      expect(deleted.files.map((f) => f.path)).toEqual([`manifests/${metadataKey(ref)}.json`])
      const rows = dumpRows(ours)
      expect(rows.image_ref.map((r) => r.reference)).not.toContain(ref)
      expect(rows.manifest.map((m) => m.digest)).toContain(pinned.manifestDigest)
      const paths = new Set(cachePaths(ours))
      const stem = pinned.manifestDigest.replace(':', '_')
      expect(paths.has(`fsmeta/${stem}.erofs`)).toBe(true)
      expect(paths.has(`vmdk/${stem}.vmdk`)).toBe(true)
      for (const l of pinned.layers) expect(paths.has(`layers/${l.diffId.replace(':', '_')}.erofs`)).toBe(true)

      // msb still works on what the explorer left: ls, inspect of every reference, prune.
      expect(runMsb(ours, ['image', 'ls']).status).toBe(0)
      expect(checkImages(ours).broken).toEqual([])
      expect(runMsb(ours, ['image', 'prune', '-y']).status).toBe(0)
      expect(dumpRows(ours).manifest.map((m) => m.digest)).toContain(pinned.manifestDigest)

      // The sandbox goes (msb's cascade removes its sandbox_rootfs row); then a prune reclaims the held data.
      const db = new Database(join(ours, 'db', 'msb.db'))
      db.pragma('foreign_keys = ON')
      db.prepare(`DELETE FROM sandbox WHERE name = 'web-1'`).run()
      db.close()
      expect(dumpRows(ours).sandbox_rootfs.map((r) => r.manifest_id)).not.toContain(
        rows.manifest.find((m) => m.digest === pinned.manifestDigest)!.id
      )
      const uniqueLayer = `layers/${pinned.layers[3].diffId.replace(':', '_')}.erofs`
      for (const scope of [{ kind: 'dangling' }, { kind: 'unused' }] as const) {
        const home = copyHome(ours)
        dirs.push(dirname(home))
        const cache = openCache({ home, graceMs: 0 })
        const report = cache.prune({ scope }).report
        cache.close()
        expect(report.manifestsRemoved, scope.kind).toBe(1)
        expect(report.fsmetaRemoved, scope.kind).toBe(1)
        expect(report.vmdkRemoved, scope.kind).toBe(1)
        const left = new Set(cachePaths(home))
        expect(left.has(`fsmeta/${stem}.erofs`)).toBe(false)
        expect(left.has(`vmdk/${stem}.vmdk`)).toBe(false)
        expect(left.has(uniqueLayer)).toBe(false)
        expect(dumpRows(home).manifest.map((m) => m.digest)).not.toContain(pinned.manifestDigest)
        expect(checkImages(home).broken).toEqual([])
      }
    })
  })
})
