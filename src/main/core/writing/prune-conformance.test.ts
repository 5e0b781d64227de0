// Prune, proved against msb itself: the explorer's prune of unused images must report what
// `msb image prune -y --format json` reports on an identical copy and leave the same rows and files;
// its preview must list exactly what then goes. The scopes msb does not have (dangling, chosen images)
// and confirmation with a fingerprint after the cache changed are checked on their own terms. msb's own
// prune is matched on homes built by msb 0.6.18 and by msb 0.7.2.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PrunePlan, PruneScope } from '../../../shared/contract'
import { msbPruneJson, prettyJson } from '../../cli/msb-json'
import { addSnapshotPin, buildCache, markInUse } from '../../demo/build-cache'
import { DEFAULT_MSB, MSB_VERSIONS, type MsbVersion, runMsb } from '../../demo/msb'
import {
  buildScenario,
  randomScenario,
  standardScenario,
  type BuiltScenario
} from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'
import { metadataKey } from '../homes/reference-key'
import { cacheFiles, cachePaths, copyHome, dumpRows, tempDir } from '../../../../test-support/core/cache-dump'
import { deletedBetween, planned } from '../../../../test-support/core/deletion-diff'
import { checkImages } from '../../../../test-support/core/image-integrity'
import { smallScenario } from '../../../../test-support/core/small-scenario'

const dirs: string[] = []
let standard: string
let standardBuilt: BuiltScenario
let random: string
/** The standard and random homes, built by each msb release. */
const built = new Map<MsbVersion, { standard: string; random: string }>()

function home(prefix: string): string {
  const dir = tempDir(prefix)
  dirs.push(dir)
  return join(dir, 'home')
}

function copy(of: string): string {
  const h = copyHome(of)
  dirs.push(dirname(h))
  return h
}

beforeAll(() => {
  standard = home('ice-prune-std-')
  standardBuilt = buildScenario(standard, standardScenario())
  random = home('ice-prune-rnd-')
  buildScenario(random, randomScenario(20260901, 60))
  built.set(DEFAULT_MSB, { standard, random })
  for (const msb of MSB_VERSIONS.filter((v) => v !== DEFAULT_MSB)) {
    const homes = { standard: home(`ice-prune-std-${msb}-`), random: home(`ice-prune-rnd-${msb}-`) }
    buildScenario(homes.standard, standardScenario(), { msb })
    buildScenario(homes.random, randomScenario(20260901, 60), { msb })
    built.set(msb, homes)
  }
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** Our prune with a preview on one copy; returns the plan, the result and what actually went. */
function pruneOurs(of: string, scope: PruneScope, options: { strayMarginMs?: number; leaseBatch?: number } = {}) {
  const h = copy(of)
  const rowsBefore = dumpRows(h)
  const filesBefore = cacheFiles(h)
  const cache = openCache({ home: h, graceMs: 0, ...options })
  const plan = cache.prunePlan({ scope })
  const result = cache.prune({ scope, fingerprint: plan.fingerprint })
  cache.close()
  const deleted = deletedBetween(rowsBefore, dumpRows(h), filesBefore, cacheFiles(h))
  return { home: h, plan, result, deleted }
}

/** The plan's totals are the report's, and its lists are what went. */
function expectPlanIsReport(
  plan: PrunePlan,
  report: ReturnType<typeof pruneOurs>['result']['report'],
  deleted: ReturnType<typeof pruneOurs>['deleted']
) {
  expect(planned(plan)).toEqual(deleted)
  expect(report.imageRefsRemoved).toBe(plan.references.length)
  expect(report.manifestsRemoved).toBe(plan.manifests.length)
  expect(report.layersRemoved).toBe(plan.layers.length)
  expect(report.fsmetaRemoved).toBe(plan.files.filter((f) => f.kind === 'fsmeta').length)
  expect(report.vmdkRemoved).toBe(plan.files.filter((f) => f.kind === 'vmdk').length)
  expect(report.bytesReclaimed).toBe(plan.files.length > 0 ? plan.totalBytes : null)
}

/**
 * Metadata files msb deletes and the explorer keeps: those of pruned references whose normalised key a
 * kept reference shares (e.g. `x:1` pruned, `docker.io/library/x:1` pinned). msb's prune takes them.
 */
function sharedMetadataOfKept(of: string, pruned: string[]): string[] {
  const kept = dumpRows(of)
    .image_ref.map((r) => String(r.reference))
    .filter((r) => !pruned.includes(r))
  const keptKeys = new Set(kept.map(metadataKey))
  const files = new Set(cachePaths(of))
  return [...new Set(pruned.map(metadataKey))]
    .filter((k) => k !== null && keptKeys.has(k))
    .map((k) => `manifests/${k}.json`)
    .filter((p) => files.has(p))
}

describe.each(MSB_VERSIONS)('prune of unused images matches msb %s image prune -y', (version) => {
  for (const which of ['standard', 'random'] as const) {
    it(`on the ${which} scenario: same report, same rows, same files; the preview is what went`, () => {
      const of = built.get(version)![which]
      // The random scenario in batches of 5 leases (many batches), the standard one in the explorer's own.
      const ours = pruneOurs(of, { kind: 'unused' }, which === 'random' ? { leaseBatch: 5 } : {})
      const theirs = copy(of)
      const msb = runMsb(theirs, ['image', 'prune', '-y', '--format', 'json'], { msb: version })
      const msbReport = JSON.parse(msb.stdout) as Record<string, number | null>
      expectPlanIsReport(ours.plan, ours.result.report, ours.deleted)
      expect(ours.result.differences).toEqual([])
      expect(dumpRows(ours.home)).toEqual(dumpRows(theirs))

      // The one deliberate difference: a metadata file a kept reference still needs stays.
      const keptByUs = sharedMetadataOfKept(of, ours.plan.references)
      const sizes = new Map(cacheFiles(of).map((f) => [f.path, f.bytes]))
      const extraBytes = keptByUs.reduce((n, p) => n + sizes.get(p)!, 0)
      const expectedMsb = { ...(msbPruneJson(ours.result.report) as Record<string, number | null>) }
      expectedMsb.bytes_reclaimed = (expectedMsb.bytes_reclaimed ?? 0) + extraBytes
      expect(msbReport).toEqual(expectedMsb)
      const oursFiles = cachePaths(ours.home)
      const theirFiles = cachePaths(theirs)
      expect(oursFiles.filter((p) => !theirFiles.includes(p))).toEqual(keptByUs)
      expect(theirFiles.filter((p) => !oursFiles.includes(p))).toEqual([])
      if (which === 'standard') {
        // No such pair in the standard scenario: byte-for-byte the same output as msb.
        expect(keptByUs).toEqual([])
        expect(prettyJson(msbPruneJson(ours.result.report))).toBe(msb.stdout.trimEnd())
      }
      console.log(
        `prune ${which} (msb ${version}): ${JSON.stringify(ours.result.report)}; metadata kept beyond msb: ${keptByUs.length}`
      )
      expect(checkImages(ours.home).broken).toEqual([])
    })
  }

  it('on an empty cache: nothing removed and bytes null, like msb', () => {
    const empty = home('ice-prune-empty-')
    runMsb(empty, ['image', 'ls'], { msb: version }) // msb creates and migrates the database
    const ours = pruneOurs(empty, { kind: 'unused' })
    const msb = JSON.parse(runMsb(copy(empty), ['image', 'prune', '-y', '--format', 'json'], { msb: version }).stdout)
    expect(msbPruneJson(ours.result.report)).toEqual(msb)
    expect(msb.bytes_reclaimed).toBeNull()
    expect(ours.plan.totalBytes).toBe(0)
    // A home without any database: the same report, and nothing is created.
    const none = home('ice-prune-none-')
    mkdirSync(none)
    const cache = openCache({ home: none })
    expect(cache.prune({ scope: { kind: 'unused' } }).report).toEqual({ ...ours.result.report, bytesReclaimed: null })
    cache.close()
  })
})

describe('msb 0.7 snapshot rows', () => {
  it('a snapshot row in any state, group or lineage pins its image, exactly as msb 0.7.2 prune honours it', () => {
    const of = home('ice-prune-snap07-')
    buildScenario(of, smallScenario(), { msb: '0.7.2' })
    addSnapshotPin(of, 'localhost/solo:1', 'gone', 'team')
    addSnapshotPin(of, 'localhost/api:1', 'child', 'team')
    const db = new Database(join(of, 'db', 'msb.db'))
    db.prepare(
      `UPDATE snapshot_index SET availability = 'missing', migration_state = 'failed', migration_error_code = 'E_TEST' WHERE name = 'gone'`
    ).run()
    db.prepare(
      `UPDATE snapshot_index SET parent_digest = (SELECT digest FROM snapshot_index WHERE name = 'gone'), scope = 'full', state_kind = 'full'
       WHERE name = 'child'`
    ).run()
    db.close()
    const ours = pruneOurs(of, { kind: 'unused' })
    const theirs = copy(of)
    const msb = runMsb(theirs, ['image', 'prune', '-y', '--format', 'json'], { msb: '0.7.2' })
    expect(prettyJson(msbPruneJson(ours.result.report))).toBe(msb.stdout.trimEnd())
    expect(dumpRows(ours.home)).toEqual(dumpRows(theirs))
    expect(cachePaths(ours.home)).toEqual(cachePaths(theirs))
    const kept = new Map(ours.plan.kept.map((k) => [k.reference, k.snapshots]))
    expect(kept.get('localhost/solo:1')).toEqual(['team:gone'])
    expect(kept.get('localhost/api:1')).toEqual(['team:child'])
    expect(kept.get('localhost/db:1')).toEqual(['db-snapshot:db-snapshot'])
  })
})

describe('the scopes msb does not have', () => {
  it('dangling: ref-less manifests, orphan layer rows and old stray files go; every reference and a fresh stray stay', () => {
    const h = copy(standard)
    const db = new Database(join(h, 'db', 'msb.db'))
    // An orphan layer row (what an interrupted older tool leaves) with its file.
    const orphan = `sha256:${'0a'.repeat(32)}`
    db.prepare(
      `INSERT INTO layer (diff_id, blob_digest, media_type, compressed_size_bytes, erofs_size_bytes, created_at, last_used_at)
       VALUES (?, ?, 'application/vnd.oci.image.layer.v1.tar+gzip', 100, NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00')`
    ).run(orphan, `sha256:${'0b'.repeat(32)}`)
    db.close()
    const layers = join(h, 'cache', 'layers')
    writeFileSync(join(layers, `sha256_${'0a'.repeat(32)}.erofs`), Buffer.alloc(4096))
    const oldStray = `layers/sha256_${'0c'.repeat(32)}.erofs`
    const freshStray = `layers/sha256_${'0d'.repeat(32)}.erofs`
    writeFileSync(join(h, 'cache', oldStray), Buffer.alloc(8192))
    writeFileSync(join(h, 'cache', freshStray), Buffer.alloc(8192))
    const hourAgo = new Date(Date.now() - 3600_000)
    utimesSync(join(h, 'cache', oldStray), hourAgo, hourAgo)

    const { plan, result, deleted, home: after } = pruneOurs(h, { kind: 'dangling' }, { strayMarginMs: 15 * 60_000 })
    expectPlanIsReport(plan, result.report, deleted)
    // worker:stable was retagged to v2: the v1 manifest has no reference; its own layer goes with it.
    const workerV1 = standardBuilt.unreferencedManifests
    expect(workerV1).toHaveLength(1)
    expect(deleted.references).toEqual([])
    expect(deleted.manifests).toEqual(workerV1)
    const v1 = standardBuilt.entries.find((e) => e.image.manifestDigest === workerV1[0])!.image
    expect(deleted.layers).toEqual([orphan, v1.layers[1].diffId].sort())
    const stem = workerV1[0].replace(':', '_')
    expect(deleted.files.map((f) => f.path)).toEqual(
      [
        `fsmeta/${stem}.erofs`,
        `layers/${orphan.replace(':', '_')}.erofs`,
        `layers/${v1.layers[1].diffId.replace(':', '_')}.erofs`,
        oldStray,
        `vmdk/${stem}.vmdk`
      ].sort()
    )
    expect(cachePaths(after)).toContain(freshStray)
    expect(dumpRows(after).image_ref).toEqual(dumpRows(standard).image_ref)
    expect(checkImages(after).broken).toEqual([])
  })

  it('images: the chosen unpinned images go, a pinned one is kept and says why', () => {
    const references = ['docker.io/library/redis:7', 'ghcr.io/acme/tool:1', 'localhost:5000/team/app:1.0']
    const { plan, result, deleted, home: after } = pruneOurs(standard, { kind: 'images', references })
    expectPlanIsReport(plan, result.report, deleted)
    expect(deleted.references).toEqual(['docker.io/library/redis:7', 'ghcr.io/acme/tool:1'])
    expect(deleted.manifests).toHaveLength(1) // redis; tool keeps two more tags
    expect(plan.kept.map((k) => [k.reference, k.reason, k.sandboxes.map((s) => s.name)])).toEqual([
      ['localhost:5000/team/app:1.0', 'sandbox', ['web-1']]
    ])
    expect(checkImages(after).broken).toEqual([])
  })
})

describe('confirming a preview after the cache changed', () => {
  it('an image put in use after the preview is kept, and the differences say so', () => {
    const h = copy(standard)
    const cache = openCache({ home: h, graceMs: 0 })
    const plan = cache.prunePlan({ scope: { kind: 'unused' } })
    const victim = 'docker.io/library/redis:7'
    expect(plan.references).toContain(victim)
    markInUse(h, victim, { name: 'late-starter', status: 'Running' })
    const result = cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
    cache.close()
    const refs = dumpRows(h).image_ref.map((r) => r.reference)
    expect(refs).toContain(victim)
    expect(result.report.imageRefsRemoved).toBe(plan.references.length - 1)
    expect(result.differences.join('\n')).toContain(`reference ${victim} is now in use (sandbox: late-starter); kept`)
    expect(result.differences.join('\n')).toContain(
      `manifest ${standardBuilt.references.get(victim)!.manifestDigest} is now needed; kept`
    )
    expect(checkImages(h, [victim])).toEqual({ references: [victim], broken: [] })
  })

  it('an image msb loads after the preview is not removed, nor are the layers it shares', () => {
    const h = copy(standard)
    const cache = openCache({ home: h, graceMs: 0 })
    const plan = cache.prunePlan({ scope: { kind: 'unused' } })
    // A new image on the shared base layers and redis' own layer (which the plan was going to delete).
    const scenario = standardScenario()
    const redis = scenario.entries.find((e) => e.reference === 'docker.io/library/redis:7')!.image
    const fresh = buildCache(h, [
      { reference: 'localhost:5000/late/arrival:1', image: { ...redis, config: { cmd: ['late'] } } }
    ]).entries[0].image
    expect(plan.layers).toContain(fresh.layers[2].diffId)
    const result = cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
    cache.close()
    const after = dumpRows(h)
    expect(after.image_ref.map((r) => r.reference)).toContain('localhost:5000/late/arrival:1')
    expect(after.manifest.map((m) => m.digest)).toContain(fresh.manifestDigest)
    expect(result.differences.join('\n')).toContain(
      'reference localhost:5000/late/arrival:1 was not in the preview; left in place'
    )
    expect(result.report.imageRefsRemoved).toBe(plan.references.length)
    expect(checkImages(h, ['localhost:5000/late/arrival:1'])).toEqual({
      references: ['localhost:5000/late/arrival:1'],
      broken: []
    })
  })

  it('a reference msb moves to another image after the preview is not removed', () => {
    const h = copy(standard)
    const cache = openCache({ home: h, graceMs: 0 })
    const plan = cache.prunePlan({ scope: { kind: 'unused' } })
    const moved = 'docker.io/library/redis:7'
    const scenario = standardScenario()
    const redis = scenario.entries.find((e) => e.reference === moved)!.image
    const retagged = buildCache(h, [{ reference: moved, image: { ...redis, config: { cmd: ['redis-8'] } } }]).entries[0]
      .image
    const result = cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
    cache.close()
    const after = dumpRows(h)
    const row = after.image_ref.find((r) => r.reference === moved)
    expect(row, 'the retagged reference was removed although the preview showed another image').toBeDefined()
    expect(after.manifest.find((m) => m.id === row!.manifest_id)!.digest).toBe(retagged.manifestDigest)
    expect(result.differences.join('\n')).toContain(
      `reference ${moved} now points at another image than the preview showed; left in place`
    )
    expect(checkImages(h, [moved])).toEqual({ references: [moved], broken: [] })
  })
})

describe('the CLI', () => {
  const cli = (h: string, args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/main.ts', ...args, '--home', h], {
      cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
      encoding: 'utf8',
      input: '',
      env: { ...process.env, NO_COLOR: '1' }
    })

  it('prune without --yes on a non-interactive stdin refuses with msb message and changes nothing', () => {
    const h = copy(standard)
    const rows = dumpRows(h)
    const files = cacheFiles(h)
    const r = cli(h, ['prune'])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('non-interactive terminal; use --yes to prune cached images')
    const msb = runMsb(copy(standard), ['image', 'prune'], { allowFail: true, input: '' })
    expect(msb.status).not.toBe(0)
    expect(msb.stderr).toContain('non-interactive terminal; use --yes to prune cached images')
    expect(dumpRows(h)).toEqual(rows)
    expect(cacheFiles(h)).toEqual(files)
  })

  it('prune --json --yes prints what msb prints, keys in msb order', () => {
    const ours = cli(copy(standard), ['prune', '--json', '--yes'])
    const msb = runMsb(copy(standard), ['image', 'prune', '-y', '--format', 'json'])
    expect(ours.status).toBe(0)
    expect(Object.keys(JSON.parse(ours.stdout))).toEqual(Object.keys(JSON.parse(msb.stdout)))
    expect(ours.stdout.trimEnd()).toBe(msb.stdout.trimEnd())
  })

  it('rm --dry-run changes nothing', () => {
    const h = copy(standard)
    const rows = dumpRows(h)
    const files = cacheFiles(h)
    const r = cli(h, ['rm', 'docker.io/library/redis:7', 'busybox', '--dry-run', '--json'])
    expect(r.status).toBe(0)
    const plan = JSON.parse(r.stdout) as PrunePlan
    expect(plan.references.sort()).toEqual(['busybox', 'docker.io/library/redis:7'])
    expect(dumpRows(h)).toEqual(rows)
    expect(cacheFiles(h)).toEqual(files)
  })
})
