// msb 0.7.3 and later on their homes (a real msb 0.7.2 home plus the two newer migration rows: see
// test-support/core/msb078-home.ts). No such binary installs here, so its readers are stood in for by other
// processes holding real shared flocks on msb's lease files; the rules come from msb's source (cleanup.rs
// @3129f858), cited where the explorer follows them.
import { dirname, join } from 'node:path'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { msbPruneJson } from '../../cli/msb-json'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { build078Home } from '../../../../test-support/core/msb078-home'
import { holdSharedLeases } from '../../../../test-support/core/lease-holder'
import {
  cacheFiles,
  cachePaths,
  copyHome,
  dumpRows,
  lockFiles,
  tempDir
} from '../../../../test-support/core/cache-dump'
import { missingFiles } from '../../../../test-support/core/image-integrity'
import { openCache } from '../cache'

const dirs: string[] = []
let base: string

function copy(of: string): string {
  const h = copyHome(of)
  dirs.push(dirname(h))
  return h
}

/** Every cache path of `reference` a removal of it alone would delete (its unique files). */
function filesOf(home: string, reference: string): string[] {
  const cache = openCache({ home, graceMs: 0 })
  try {
    return cache.removePlan({ references: [reference], force: false }).files.map((f) => f.path)
  } finally {
    cache.close()
  }
}

/** Lock files present before and gone after: there must be none on a 0.7.3+ home. */
function lostLocks(before: string[], home: string): string[] {
  const after = new Set(lockFiles(home))
  return before.filter((p) => !after.has(p))
}

beforeAll(() => {
  const dir = tempDir('ice-078-')
  dirs.push(dir)
  base = join(dir, 'home')
  build078Home(base)
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('a msb 0.7.8 home', () => {
  it('is known and writable, named "msb 0.7.3 or later" by status and --version', async () => {
    const cache = openCache({ home: base, graceMs: 0 })
    try {
      expect(cache.status().schema).toEqual({ kind: 'known', line: '0.7.3', migrations: 29 })
      expect(cache.status().readOnly).toBe(false)
    } finally {
      cache.close()
    }
    const version = await runCli(['--version', '--home', base])
    expect(version.stdout).toContain('msb 0.7.3 or later schema (29 migrations)')
  })

  it('while another process holds leases on one image: rm refuses, prune skips exactly it; once it exits, it goes', async () => {
    const home = copy(base)
    const solo = filesOf(home, 'localhost/solo:1')
    expect(solo.map((p) => p.split('/')[0]).sort()).toEqual(['fsmeta', 'layers', 'manifests', 'vmdk'])
    const locksBefore = lockFiles(home)
    expect(locksBefore.length).toBeGreaterThan(0)
    const holder = await holdSharedLeases(solo.map((p) => join(home, 'cache', p)))
    try {
      const rows = dumpRows(home)
      const files = cacheFiles(home)
      const cache = openCache({ home, graceMs: 0 })
      try {
        expect(() => cache.remove({ references: ['localhost/solo:1'], force: false })).toThrow(
          expect.objectContaining({ code: 'ImageInUse', message: expect.stringContaining('active storage operation') })
        )
        expect(dumpRows(home)).toEqual(rows)
        expect(cacheFiles(home)).toEqual(files)

        const pruned = cache.prune({ scope: { kind: 'unused' } })
        expect(pruned.report.skippedInUse).toBe(1)
        expect(msbPruneJson(pruned.report)).toHaveProperty('skipped_in_use', 1)
        expect(pruned.differences.join('\n')).toContain('in use by a running msb')
        // Everything else unused went; solo and every file of it stayed.
        const left = dumpRows(home).image_ref.map((r) => String(r.reference))
        expect(left.sort()).toEqual(['localhost/db:1', 'localhost/job:1', 'localhost/solo:1'])
        const paths = new Set(cachePaths(home))
        expect(solo.filter((p) => !paths.has(p))).toEqual([])
        expect(missingFiles(home)).toEqual([])
        expect(lostLocks(locksBefore, home)).toEqual([])
        // The lease folders are never content: no stray, whatever its age.
        const strays = openCache({ home, graceMs: 0, strayMarginMs: 0 })
        expect(
          strays
            .prunePlan({ scope: { kind: 'dangling' } })
            .files.map((f) => f.path)
            .join()
        ).not.toContain('.msb-leases')
        strays.close()
      } finally {
        cache.close()
      }
    } finally {
      await holder.stop()
    }
    const cache = openCache({ home, graceMs: 0 })
    try {
      const again = cache.prune({ scope: { kind: 'unused' } })
      expect(again.report).toMatchObject({ imageRefsRemoved: 1, manifestsRemoved: 1, skippedInUse: 0 })
    } finally {
      cache.close()
    }
    const paths = new Set(cachePaths(home))
    expect(solo.filter((p) => paths.has(p))).toEqual([])
    expect(missingFiles(home)).toEqual([])
    expect(lostLocks(locksBefore, home)).toEqual([])
  })

  it('rm of a free image removes it and keeps every lock file (msb 0.7.2 homes lose theirs, as msb 0.7.2 does)', () => {
    const home = copy(base)
    const locksBefore = lockFiles(home)
    const cache = openCache({ home, graceMs: 0 })
    try {
      const result = cache.remove({ references: ['localhost/solo:1'], force: false })
      expect(result.removed).toEqual(['localhost/solo:1'])
      expect(result.filesRemoved).toBe(4)
    } finally {
      cache.close()
    }
    expect(lostLocks(locksBefore, home)).toEqual([])
    expect(missingFiles(home)).toEqual([])
  })

  it('a publishing snapshot pins its image: prune keeps it, rm refuses it, rm --force only untags', () => {
    const home = copy(base)
    const locksBefore = lockFiles(home)
    const cache = openCache({ home, graceMs: 0 })
    try {
      const plan = cache.prunePlan({ scope: { kind: 'unused' } })
      expect(plan.references).not.toContain('localhost/db:1')
      expect(plan.kept.map((k) => k.reference)).toContain('localhost/db:1')
      expect(() => cache.remove({ references: ['localhost/db:1'], force: false })).toThrow(
        expect.objectContaining({ code: 'ImageInUse', message: expect.stringContaining('snapshot dependency') })
      )
      const forcePlan = cache.removePlan({ references: ['localhost/db:1'], force: true })
      // Untag only: nothing of its data is planned, its metadata JSON included.
      expect(forcePlan.files).toEqual([])
      expect(forcePlan.kept.map((k) => k.reason)).toEqual(['snapshot'])
      const before = cachePaths(home)
      const result = cache.remove({ references: ['localhost/db:1'], force: true, fingerprint: forcePlan.fingerprint })
      expect(result).toMatchObject({ removed: ['localhost/db:1'], manifestsRemoved: 0, filesRemoved: 0 })
      expect(cachePaths(home)).toEqual(before)
    } finally {
      cache.close()
    }
    expect(missingFiles(home)).toEqual([])
    expect(lostLocks(locksBefore, home)).toEqual([])
  })

  it('the Files tab reads a layer under a shared lease: a deleter holding it makes the read fail clearly', async () => {
    const layer = filesOf(base, 'localhost/solo:1').find((p) => p.startsWith('layers/'))!
    const holder = await holdSharedLeases([join(base, 'cache', layer)], 'exclusive')
    const cache = openCache({ home: base, graceMs: 0 })
    try {
      const detail = cache.inspect({ reference: 'localhost/solo:1' })
      const position = detail.layers.length - 1
      expect(() => cache.imageFiles({ reference: 'localhost/solo:1', layer: position })).toThrow(
        expect.objectContaining({ code: 'Busy', message: expect.stringContaining('being deleted by a running msb') })
      )
      await holder.stop()
      expect(cache.imageFiles({ reference: 'localhost/solo:1', layer: position }).layers[position].error).toBeNull()
    } finally {
      cache.close()
      await holder.stop()
    }
  })

  it('the upgrade path 0.6.18 → 0.7.2 → 0.7.8 keeps working: known, pruned, whole, no lock file lost', () => {
    const dir = tempDir('ice-078-up-')
    dirs.push(dir)
    const home = join(dir, 'home')
    build078Home(home, { from06: true })
    const locksBefore = lockFiles(home)
    const cache = openCache({ home, graceMs: 0 })
    try {
      expect(cache.status().schema).toMatchObject({ kind: 'known', line: '0.7.3' })
      const plan = cache.prunePlan({ scope: { kind: 'unused' } })
      const result = cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
      expect(result.differences).toEqual([])
      expect(result.report.imageRefsRemoved).toBe(plan.references.length)
      expect(result.report.skippedInUse).toBe(0)
    } finally {
      cache.close()
    }
    expect(missingFiles(home)).toEqual([])
    expect(lostLocks(locksBefore, home)).toEqual([])
  })
})
