// Retention rules, proved on caches the real msb built: the last-use times are written into
// `image_ref.updated_at` in msb's own text format (msb writes it on every pull, load and sandbox start;
// a test cannot wait 41 days), then every rule alone and combined chooses what the rules say, pinned
// images are never chosen, the real prune deletes exactly what the preview listed, and msb itself
// lists exactly the references the preview kept.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PrunePlan, RetentionRules } from '../../../shared/contract'
import { buildCache, markInUse, addSnapshotPin, msbTimestamp } from '../../demo/build-cache'
import { msbJson } from '../../demo/msb'
import { openCache } from '../cache'
import { cacheFiles, copyHome, dumpRows, tempDir } from '../../../../test-support/core/cache-dump'
import { deletedBetween, planned } from '../../../../test-support/core/deletion-diff'
import { checkImages } from '../../../../test-support/core/image-integrity'
import { smallImage, SMALL_BASE } from '../../../../test-support/core/small-scenario'

const DAY = 86_400_000
const dirs: string[] = []
let base: string

/** reference → days since its last use; `python:3.13` normalises into docker.io/library/python. */
const LAST_USED_DAYS: Record<string, number> = {
  'docker.io/library/python:3.10': 90,
  'docker.io/library/python:3.11': 41,
  'docker.io/library/python:3.12': 10,
  'python:3.13': 1,
  'localhost/web:1': 60,
  'localhost/web:2': 50, // a sandbox uses it
  'localhost/web:3': 2,
  'localhost/base:1': 200,
  'localhost/base:2': 100,
  'ghcr.io/acme/tool:1': 300, // a snapshot pins it
  'localhost/alias:a': 70, // same image as alias:b, which stays recent
  'localhost/alias:b': 3
}

function setLastUsed(home: string, now: number): void {
  const db = new Database(join(home, 'db', 'msb.db'))
  const update = db.prepare('UPDATE image_ref SET updated_at = ? WHERE reference = ?')
  for (const [reference, days] of Object.entries(LAST_USED_DAYS)) {
    expect(update.run(msbTimestamp(new Date(now - days * DAY - 60_000)), reference).changes).toBe(1)
  }
  db.close()
}

beforeAll(() => {
  const dir = tempDir('ice-retention-')
  dirs.push(dir)
  base = join(dir, 'home')
  const image = (name: string) => smallImage(name, [SMALL_BASE])
  buildCache(
    base,
    Object.keys(LAST_USED_DAYS).map((reference) => ({
      reference,
      image: image(reference.startsWith('localhost/alias:') ? 'alias' : reference.replace(/\W/g, '-'))
    }))
  )
  markInUse(base, 'localhost/web:2', { name: 'web-runner', status: 'Running' })
  addSnapshotPin(base, 'ghcr.io/acme/tool:1', 'tool-snap')
  setLastUsed(base, Date.now())
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function copy(): string {
  const h = copyHome(base)
  dirs.push(dirname(h))
  return h
}

function preview(rules: RetentionRules, home = base): PrunePlan {
  const cache = openCache({ home })
  try {
    return cache.prunePlan({ scope: { kind: 'rules', rules } })
  } finally {
    cache.close()
  }
}

const sorted = (list: string[]) => [...list].sort()
const whyOf = (plan: PrunePlan, reference: string) => plan.chosen?.find((c) => c.reference === reference)?.why

describe('each rule alone', () => {
  it('unused-for chooses the references last used longer ago than the duration, never a pinned one', () => {
    const plan = preview({ unusedFor: '30d' })
    expect(sorted(plan.references)).toEqual(
      sorted([
        'docker.io/library/python:3.10',
        'docker.io/library/python:3.11',
        'localhost/web:1',
        'localhost/base:1',
        'localhost/base:2',
        'localhost/alias:a'
      ])
    )
    expect(whyOf(plan, 'docker.io/library/python:3.11')).toEqual(['unused for 41 days'])
    expect(plan.kept.find((k) => k.reference === 'localhost/web:2')?.reason).toBe('sandbox')
    expect(plan.kept.find((k) => k.reference === 'ghcr.io/acme/tool:1')?.reason).toBe('snapshot')
    expect(plan.kept.find((k) => k.reference === 'python:3.13')?.why).toEqual(['unused for 24 hours, not over 30d'])
    // 2w is 14 days: python:3.12 (10 days) stays, web:1 (60) goes.
    expect(preview({ unusedFor: '2w' }).references).not.toContain('docker.io/library/python:3.12')
    expect(preview({ unusedFor: '1w2d' }).references).toContain('docker.io/library/python:3.12')
  })

  it('keep-last keeps the N most recently used of each repository, counting every reference of it', () => {
    const plan = preview({ keepLast: 2 })
    // python: 3.13 (via the short name), 3.12 kept; web: 3 and the pinned 2 are the two most recent.
    expect(sorted(plan.references)).toEqual(
      sorted(['docker.io/library/python:3.10', 'docker.io/library/python:3.11', 'localhost/web:1'])
    )
    expect(whyOf(plan, 'docker.io/library/python:3.10')).toEqual(['4th most recent of docker.io/library/python'])
    expect(plan.kept.find((k) => k.reference === 'python:3.13')?.why).toEqual([
      'most recent of docker.io/library/python'
    ])
    expect(preview({ keepLast: 1 }).references).toContain('localhost/alias:a')
  })

  it('keep patterns protect what they match; the rest of the unused references are chosen', () => {
    const plan = preview({ keep: ['localhost/base:*', 'docker.io/library/**'] })
    expect(sorted(plan.references)).toEqual(
      sorted(['localhost/web:1', 'localhost/web:3', 'localhost/alias:a', 'localhost/alias:b'])
    )
    // The short name matches through its normalised form.
    expect(plan.kept.find((k) => k.reference === 'python:3.13')?.why).toEqual([
      'matches keep pattern docker.io/library/**'
    ])
    // `*` stops at `/`, `**` crosses it.
    expect(preview({ keep: ['docker.io/*'] }).references).toContain('docker.io/library/python:3.10')
    expect(preview({ keep: ['localhost/*'] }).references).not.toContain('localhost/web:1')
  })
})

describe('rules combined', () => {
  it('a reference goes only when every rule chooses it', () => {
    const plan = preview({ unusedFor: '30d', keepLast: 1, keep: ['localhost/alias:*'] })
    expect(sorted(plan.references)).toEqual(
      sorted(['docker.io/library/python:3.10', 'docker.io/library/python:3.11', 'localhost/web:1', 'localhost/base:1'])
    )
    expect(whyOf(plan, 'localhost/base:1')).toEqual([
      'unused for 200 days',
      '2nd most recent of localhost/base',
      'matches no keep pattern'
    ])
    const why = (reference: string) => plan.kept.find((k) => k.reference === reference)?.why
    expect(why('localhost/alias:a')).toEqual(['matches keep pattern localhost/alias:*'])
    // Unused for 100 days, but the most recent of its repository.
    expect(why('localhost/base:2')).toEqual(['most recent of localhost/base'])
  })

  it('pinned images are never chosen, whatever the rules', () => {
    const plan = preview({ unusedFor: '1h', keepLast: 1 })
    expect(plan.references).not.toContain('localhost/web:2')
    expect(plan.references).not.toContain('ghcr.io/acme/tool:1')
    const pinnedManifests = plan.kept.filter((k) => k.reason !== 'rule').map((k) => k.manifestDigest)
    for (const m of pinnedManifests) expect(plan.manifests).not.toContain(m)
  })

  it('data another reference still needs stays: pruning alias:a keeps the image alias:b points at', () => {
    const plan = preview({ unusedFor: '30d' })
    const rows = dumpRows(base)
    const aliasManifest = rows.image_ref.find((r) => r.reference === 'localhost/alias:b')!.manifest_id
    const digest = String(rows.manifest.find((m) => m.id === aliasManifest)!.digest)
    expect(plan.references).toContain('localhost/alias:a')
    expect(plan.manifests).not.toContain(digest)
  })
})

describe('the real prune', () => {
  it('deletes exactly what the preview listed, and msb then lists exactly the references it kept', () => {
    const h = copy()
    const rules: RetentionRules = { unusedFor: '30d', keepLast: 1, keep: ['localhost/alias:*'] }
    const rowsBefore = dumpRows(h)
    const filesBefore = cacheFiles(h)
    const cache = openCache({ home: h, graceMs: 0 })
    const plan = cache.prunePlan({ scope: { kind: 'rules', rules } })
    const result = cache.prune({ scope: { kind: 'rules', rules }, fingerprint: plan.fingerprint })
    cache.close()
    expect(result.differences).toEqual([])
    expect(plan.references.length).toBe(4)
    expect(planned(plan)).toEqual(deletedBetween(rowsBefore, dumpRows(h), filesBefore, cacheFiles(h)))
    expect(result.report.bytesReclaimed).toBe(plan.totalBytes)
    const listed = msbJson<{ reference: string }[]>(h, ['image', 'ls']).map((i) => i.reference)
    const expected = rowsBefore.image_ref.map((r) => String(r.reference)).filter((r) => !plan.references.includes(r))
    expect(sorted(listed)).toEqual(sorted(expected))
    expect(checkImages(h).broken).toEqual([])
  })

  it('a reference used between the preview and the confirmation is kept, and the report says so', () => {
    const h = copy()
    const scope = { kind: 'rules', rules: { unusedFor: '30d' } } as const
    const cache = openCache({ home: h, graceMs: 0 })
    const plan = cache.prunePlan({ scope })
    expect(plan.references).toContain('localhost/web:1')
    const db = new Database(join(h, 'db', 'msb.db'))
    db.prepare('UPDATE image_ref SET updated_at = ? WHERE reference = ?').run(msbTimestamp(), 'localhost/web:1')
    db.close()
    const result = cache.prune({ scope, fingerprint: plan.fingerprint })
    cache.close()
    expect(result.report.imageRefsRemoved).toBe(plan.references.length - 1)
    expect(result.differences.some((d) => d.includes('localhost/web:1'))).toBe(true)
    expect(msbJson<{ reference: string }[]>(h, ['image', 'ls']).map((i) => i.reference)).toContain('localhost/web:1')
  })

  it('a duration or pattern that does not parse is a clear error and changes nothing', () => {
    const h = copy()
    const before = dumpRows(h)
    const cache = openCache({ home: h, graceMs: 0 })
    const bad: RetentionRules[] = [{ unusedFor: '30 days' }, { unusedFor: '0d' }, { keep: ['localhost/[base'] }, {}]
    const messages = bad.map((rules) => {
      try {
        cache.prune({ scope: { kind: 'rules', rules } })
        return 'no error'
      } catch (error) {
        return `${(error as { code?: string }).code}: ${(error as Error).message}`
      }
    })
    cache.close()
    expect(messages[0]).toMatch(/^InvalidArgument: unused-for: "30 days" is not a duration/)
    expect(messages[1]).toMatch(/^InvalidArgument: unused-for: "0d" is zero/)
    expect(messages[2]).toMatch(/^InvalidArgument: keep pattern "localhost\/\[base" does not parse/)
    expect(messages[3]).toMatch(/^InvalidArgument: give at least one rule/)
    expect(dumpRows(h)).toEqual(before)
  })
})
