// Flat rootfs artifacts (cache/flat/), written exactly as msb writes them (test-support/core/flat-fixture.ts)
// into a home the real msb 0.7.2 built: tied to their images, the unused ones told apart with the reason,
// and reclaimed under msb's flat lock and storage leases, which a separate process holds here as a
// running msb would. Every reclaim frees exactly the bytes shown before it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { type FlatArtifactFixture, writeFlatArtifact } from '../../../../test-support/core/flat-fixture'
import { holdFlock } from '../../../../test-support/core/flock-holder'
import { artifactKey, openCache } from '../cache'
import { leaseFileOf } from '../locks/storage-lease'

const MiB = 1024 * 1024
const dirs: string[] = []
let base: string
const made: Record<string, FlatArtifactFixture> = {}
const GONE = `sha256:${'e'.repeat(64)}`

function home(): string {
  const h = copyHome(base)
  dirs.push(h)
  return h
}

const blocks = (path: string) => statSync(path).blocks * 512
const length = (path: string) => statSync(path).size

beforeAll(() => {
  const dir = tempDir('ice-flat-')
  dirs.push(dir)
  base = join(dir, 'home')
  buildScenario(base, smallScenario(), { msb: '0.7.2' })
  const cache = openCache({ home: base })
  const root = join(dir, 'root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  writeFileSync(join(root, 'etc', 'message'), 'flat-rootfs')
  writeFileSync(join(root, 'etc', 'big'), Buffer.alloc(300 * 1024, 3))
  const cacheDir = join(base, 'cache')
  const of = (reference: string, sizeBytes: number, extra: Partial<Parameters<typeof writeFlatArtifact>[1]> = {}) => {
    const d = cache.inspect({ reference })
    return writeFlatArtifact(cacheDir, {
      manifestDigest: d.handle.manifestDigest!,
      diffIds: d.layers.map((l) => l.diffId),
      rootDir: root,
      sizeBytes,
      ...extra
    })
  }
  // Replaced: msb wrote a newer blob and ref for web:1 and the first blob lost its only ref.
  made.orphan = of('localhost/web:1', 32 * MiB, { uuidSeed: 'first', blobOnly: true })
  made.web = of('localhost/web:1', 32 * MiB)
  made.solo = of('localhost/solo:1', 20 * MiB)
  made.job = of('localhost/job:1', 24 * MiB)
  made.stale = writeFlatArtifact(cacheDir, { manifestDigest: GONE, diffIds: [], rootDir: root, sizeBytes: 16 * MiB })
  cache.close()
  // The sandbox's own root disk, copied (or reflinked where the filesystem can) from the blob at creation.
  mkdirSync(join(base, 'sandboxes', 'job-runner'), { recursive: true })
  copyFileSync(join(cacheDir, made.job.blobPath), join(base, 'sandboxes', 'job-runner', 'rootfs.raw'), 2 /* FICLONE */)
}, 120_000)

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('flat rootfs artifacts', () => {
  it('are tied to their image by manifest digest, in logical and allocated bytes, and the unused ones say why', () => {
    const h = home()
    const cache = openCache({ home: h })
    const usage = cache.usage()
    const c = join(h, 'cache')
    const web = usage.images.find((u) => u.reference === 'localhost/web:1')!
    expect(web.flatBytes).toBe(length(join(c, made.web.refPath)) + 32 * MiB)
    expect(web.flatAllocatedBytes).toBe(blocks(join(c, made.web.refPath)) + blocks(join(c, made.web.blobPath)))
    // A sparse ext4 image holds far less than its length.
    expect(web.flatAllocatedBytes).toBeLessThan(web.flatBytes / 4)
    // Its other tag shares the image, and so the artifact.
    expect(usage.images.find((u) => u.reference === 'localhost/web:stable')!.flatBytes).toBe(web.flatBytes)
    const reasons = Object.fromEntries(usage.flat.map((a) => [artifactKey(a), a.unused]))
    expect(reasons).toEqual({
      [made.web.refPath]: null,
      [made.solo.refPath]: null,
      [made.job.refPath]: null,
      [made.stale.refPath]: 'stale-ref',
      [made.orphan.blobPath]: 'orphaned-blob'
    })
    expect(usage.flatUnusedAllocatedBytes).toBe(
      blocks(join(c, made.stale.refPath)) + blocks(join(c, made.stale.blobPath)) + blocks(join(c, made.orphan.blobPath))
    )
    // Removing solo:1 (its only reference) would leave its ref unused.
    const plan = cache.flatPlan({ removing: ['localhost/solo:1'] })
    expect(plan.artifacts.find((a) => a.refPath === made.solo.refPath)?.unused).toBe('removing')
    cache.close()
  })

  it('a held flat lock or lease makes the reclaim skip and say so; freed bytes are the bytes shown; locks and sandboxes stay', async () => {
    const h = home()
    const c = join(h, 'cache')
    const cache = openCache({ home: h })
    const plan = cache.flatPlan({ removing: ['localhost/solo:1'] })
    const paths = plan.artifacts.map(artifactKey)
    expect(paths.sort()).toEqual([made.orphan.blobPath, made.solo.refPath, made.stale.refPath].sort())
    // msb materialising the stale ref's derivation, and reading solo's image (a shared lease on its fsmeta).
    const flatLock = await holdFlock(join(c, made.stale.lockPath), 'ex')
    const lease = await holdFlock(
      leaseFileOf(join(c, 'fsmeta', `${made.solo.manifestDigest.replace(':', '_')}.erofs`)),
      'sh'
    )
    const busy = cache.reclaimFlat({ removing: ['localhost/solo:1'], paths })
    expect(busy.removed).toEqual([])
    const why = Object.fromEntries(busy.skipped.map((s) => [s.path, s.why]))
    expect(why[made.stale.refPath]).toMatch(/msb is materialising it \(flat\/locks\/.*\.lock is held\)/)
    // Any held flat lock keeps every orphan: a blob is published a moment before its ref.
    expect(why[made.orphan.blobPath]).toMatch(/materialising a flat rootfs/)
    expect(why[made.solo.refPath]).toMatch(/msb is using the image \(the lease of fsmeta\/.*\.erofs is held\)/)
    expect(busy.skipped).toHaveLength(3)
    for (const p of paths) expect(existsSync(join(c, p))).toBe(true)
    await flatLock.stop()
    await lease.stop()
    const done = cache.reclaimFlat({ removing: ['localhost/solo:1'], paths })
    expect(done.skipped).toEqual([])
    expect(done.freedAllocatedBytes).toBe(plan.allocatedBytes)
    expect(done.freedLogicalBytes).toBe(plan.logicalBytes)
    expect(existsSync(join(c, made.solo.blobPath))).toBe(false)
    expect(existsSync(join(c, made.stale.blobPath))).toBe(false)
    // The image itself stays (only its flat artifact went); lock files stay; the kept artifacts stay.
    expect(cache.list({}).map((i) => i.reference)).toContain('localhost/solo:1')
    for (const m of Object.values(made)) expect(existsSync(join(c, m.lockPath))).toBe(true)
    expect(existsSync(join(c, made.web.blobPath))).toBe(true)
    expect(existsSync(join(h, 'sandboxes', 'job-runner', 'rootfs.raw'))).toBe(true)
    expect(cache.usage().flatUnusedBytes).toBe(0)
    cache.close()
  })

  it("the CLI: prune --flat reclaims what its dry run showed, prune --json alone stays msb-shaped, rm --flat takes an image's own artifact", async () => {
    const h = home()
    const c = join(h, 'cache')
    const dry = await runCli(['prune', '--dry-run', '--json', '--flat', '--dangling', '--home', h])
    expect(dry.code).toBe(0)
    const shown = JSON.parse(dry.stdout) as { flat: { allocatedBytes: number; artifacts: unknown[] } }
    expect(shown.flat.artifacts).toHaveLength(2)
    const plain = await runCli(['prune', '--yes', '--json', '--dangling', '--home', h])
    expect(Object.keys(JSON.parse(plain.stdout) as object)).not.toContain('flat')
    const run = await runCli(['prune', '--yes', '--json', '--flat', '--dangling', '--home', h])
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as { flat: { freedAllocatedBytes: number } }
    expect(report.flat.freedAllocatedBytes).toBe(shown.flat.allocatedBytes)
    // Force-removing the image a sandbox uses: the sandbox boots from its own rootfs.raw, so the image's
    // flat artifact can go with it, and the reclaim says what a reflinked copy keeps.
    const rm = await runCli(['rm', '--force', '--flat', 'localhost/job:1', '--home', h])
    expect(rm.code).toBe(0)
    expect(rm.stdout).toMatch(/Flat rootfs artifacts: 2 files deleted/)
    expect(rm.stdout).toMatch(/sandbox job-runner keeps its own rootfs\.raw/)
    expect(existsSync(join(c, made.job.blobPath))).toBe(false)
    expect(readdirSync(join(h, 'sandboxes', 'job-runner'))).toEqual(['rootfs.raw'])
  }, 60_000)
})
