// Several homes sharing one cache directory (`paths.cache`): whatever one home removes or prunes, every
// image every other home lists stays whole, and msb can still use it (`msb pull` finds it cached,
// offline). Checked against the real msb 0.6.18 with two and three homes, beside msb's own prune, which
// does delete a layer another home still uses.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationProgress, PruneScope } from '../../../shared/contract'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { msbJson, runMsb } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { openCache } from '../cache'
import { digestFileStem } from '../homes/digest'

let root: string
const archives: Record<string, string> = {}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-shared-'))
  const layer = (seed: string) => ({ seed, sizeBytes: 4096 })
  const images: Record<string, string[]> = {
    a: ['shared', 'a-only'],
    a2: ['a2-only'],
    b: ['shared', 'b-only'],
    c: ['shared', 'c-only']
  }
  for (const [name, seeds] of Object.entries(images)) {
    archives[name] = join(root, `${name}.tar`)
    writeOciArchive(archives[name], [{ layers: seeds.map(layer), config: { cmd: ['sh'] } }])
  }
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

interface Setup {
  shared: string
  homes: string[]
}

/** `count` homes whose config.json all point at one cache; home 0 holds a:1 and a2:1, home 1 b:1 and a:1, home 2 c:1. */
function setup(name: string, count: number): Setup {
  const base = join(root, name)
  const shared = join(base, 'shared-cache')
  const homes = Array.from({ length: count }, (_, i) => join(base, `home${i}`))
  for (const home of homes) {
    mkdirSync(home, { recursive: true })
    writeFileSync(join(home, 'config.json'), JSON.stringify({ paths: { cache: shared } }))
  }
  const load = (home: string, archive: string, reference: string) =>
    runMsb(home, ['load', '-q', '-i', archive, '-t', reference])
  load(homes[0], archives.a, 'localhost/a:1')
  load(homes[0], archives.a2, 'localhost/a2:1')
  load(homes[1], archives.b, 'localhost/b:1')
  load(homes[1], archives.a, 'localhost/a:1')
  if (count > 2) load(homes[2], archives.c, 'localhost/c:1')
  return { shared, homes }
}

/** Every image msb lists in `home`, with what is wrong with it: a missing file, or msb unable to use it. */
function damage(home: string, cacheDir: string): string[] {
  const problems: string[] = []
  for (const { reference } of msbJson<{ reference: string }[]>(home, ['image', 'ls'])) {
    const detail = msbJson<{ digest: string; layers: { diff_id: string }[] }>(home, ['image', 'inspect', reference])
    const m = digestFileStem(detail.digest)
    const needed = [
      ...detail.layers.map((l) => `layers/${digestFileStem(l.diff_id)}.erofs`),
      `fsmeta/${m}.erofs`,
      `vmdk/${m}.vmdk`
    ]
    for (const path of needed) if (!existsSync(join(cacheDir, path))) problems.push(`${reference}: missing ${path}`)
    // msb's own test of a usable image: a pull that finds it complete in the cache needs no network.
    const pull = runMsb(home, ['pull', reference], { allowFail: true, timeoutMs: 60_000 })
    if (pull.status !== 0) problems.push(`${reference}: msb pull failed: ${pull.stderr.trim().split('\n').pop()}`)
  }
  return problems
}

function allDamage(s: Setup): string[] {
  return s.homes.flatMap((h) => damage(h, s.shared))
}

function listed(home: string): string[] {
  return msbJson<{ reference: string }[]>(home, ['image', 'ls'])
    .map((i) => i.reference)
    .sort()
}

function fileCount(s: Setup): number {
  return ['layers', 'fsmeta', 'vmdk', 'manifests'].reduce(
    (n, d) => n + readdirSync(join(s.shared, d)).filter((f) => !f.endsWith('.lock') && f !== '.msb-leases').length,
    0
  )
}

function prune(home: string, scope: PruneScope, alsoHomes: string[] = []) {
  const cache = openCache({ home, alsoHomes, graceMs: 0, strayMarginMs: 0 })
  try {
    const plan = cache.prunePlan({ scope })
    return { plan, result: cache.prune({ scope, fingerprint: plan.fingerprint }) }
  } finally {
    cache.close()
  }
}

function remove(home: string, references: string[], force: boolean, alsoHomes: string[] = []) {
  const cache = openCache({ home, alsoHomes, graceMs: 0, strayMarginMs: 0 })
  try {
    const plan = cache.removePlan({ references, force })
    return { plan, result: cache.remove({ references, force, fingerprint: plan.fingerprint }) }
  } finally {
    cache.close()
  }
}

describe('a cache shared by homes that are not named', () => {
  it("msb's prune in one home deletes a layer another home still uses (the hazard)", () => {
    const s = setup('msb-hazard', 2)
    expect(allDamage(s)).toEqual([])
    runMsb(s.homes[0], ['image', 'prune', '--yes'])
    expect(damage(s.homes[1], s.shared).length).toBeGreaterThan(0)
  })

  it('dangling prune, prune, remove and force remove from each of two homes lose nothing; the plans say why files stay', async () => {
    const s = setup('unnamed', 2)
    const files = fileCount(s)
    for (const [i, home] of s.homes.entries()) {
      // A dangling prune with no age margin: in an unshared cache every file of the other home would be "stray".
      const dangling = prune(home, { kind: 'dangling' })
      expect(dangling.plan.files).toEqual([])
      expect(dangling.plan.notes.join(' ')).toMatch(/other homes may share it/)
      const ref = i === 0 ? 'localhost/a2:1' : 'localhost/b:1'
      const rm = remove(home, [ref], i === 1)
      expect(rm.result.removed).toEqual([ref])
      expect(rm.plan.files).toEqual([])
      expect(rm.plan.keptFiles.length).toBeGreaterThan(0)
      expect(
        rm.plan.keptFiles.every(
          (f) => f.reason === 'kept: the cache is shared with other homes; name them to reclaim this'
        )
      ).toBe(true)
      expect(rm.result.bytesReclaimed).toBe(0)
      expect(allDamage(s)).toEqual([])
    }
    // msb's prune scope in home 0: its rows go, every file stays, and home 1 still has localhost/a:1 whole.
    const pruned = prune(s.homes[0], { kind: 'unused' })
    expect(pruned.result.report.imageRefsRemoved).toBe(1)
    expect(pruned.result.report.bytesReclaimed).toBeNull()
    expect(listed(s.homes[0])).toEqual([])
    expect(listed(s.homes[1])).toEqual(['localhost/a:1'])
    expect(allDamage(s)).toEqual([])
    expect(fileCount(s)).toBe(files)
    // The CLI says so too.
    const dry = await runCli(['prune', '--dangling', '--dry-run', '--home', s.homes[1]])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/other homes may share it/)
  })
})

describe("another home whose paths.cache is this home's own cache/ (undetectable from this side)", () => {
  it("its images' files stay through dangling prune and prune: msb's image records in manifests/ name them", () => {
    const base = join(root, 'pointed-at')
    const homeA = join(base, 'home-a')
    const homeB = join(base, 'home-b')
    mkdirSync(homeB, { recursive: true })
    writeFileSync(join(homeB, 'config.json'), JSON.stringify({ paths: { cache: join(homeA, 'cache') } }))
    runMsb(homeA, ['load', '-q', '-i', archives.a, '-t', 'localhost/a:1'])
    runMsb(homeA, ['load', '-q', '-i', archives.a2, '-t', 'localhost/a2:1'])
    runMsb(homeB, ['load', '-q', '-i', archives.b, '-t', 'localhost/b:1'])
    const s: Setup = { shared: join(homeA, 'cache'), homes: [homeA, homeB] }
    expect(allDamage(s)).toEqual([])
    // From A the cache looks like its own: B's files are unreferenced, older than the (zero) margin.
    const dangling = prune(homeA, { kind: 'dangling' })
    expect(dangling.plan.files).toEqual([])
    expect(dangling.result.report.bytesReclaimed).toBeNull()
    const pruned = prune(homeA, { kind: 'unused' })
    expect(pruned.result.report.imageRefsRemoved).toBe(2)
    // a2's own files went; the layer a shares with b stayed, named by b's record.
    expect(pruned.plan.keptFiles.map((f) => f.kind)).toEqual(['layer'])
    expect(pruned.plan.keptFiles[0].reason).toMatch(/named by manifests\/[a-f0-9]{64}\.json/)
    expect(listed(homeA)).toEqual([])
    expect(allDamage(s)).toEqual([])
    expect(listed(homeB)).toEqual(['localhost/b:1'])
  })
})

describe('a home the explorer was not told about records an image while a removal unlinks (issue 26)', () => {
  it('a record written between two unlinks keeps every file it names: each unlink asks the records again', () => {
    // The race a concurrent `msb load` in home B (paths.cache = A's cache) wins only now and then, made
    // certain: B's msb found the files in place and writes its record after A's removal has begun
    // unlinking (A's own record goes first, so the record appears between two unlinks).
    const base = join(root, 'record-mid-removal')
    const [homeA, homeB, scratch] = ['home-a', 'home-b', 'scratch'].map((n) => join(base, n))
    mkdirSync(homeB, { recursive: true })
    writeFileSync(join(homeB, 'config.json'), JSON.stringify({ paths: { cache: join(homeA, 'cache') } }))
    runMsb(homeA, ['load', '-q', '-i', archives.a, '-t', 'localhost/a:1'])
    // B's rows and record as its msb leaves them: made in a scratch home, then given to B.
    runMsb(scratch, ['load', '-q', '-i', archives.a, '-t', 'localhost/b-copy:1'])
    cpSync(join(scratch, 'db'), join(homeB, 'db'), { recursive: true })
    const recordName = readdirSync(join(scratch, 'cache', 'manifests')).find((n) => n.endsWith('.json'))!
    const record = readFileSync(join(scratch, 'cache', 'manifests', recordName))
    const manifests = join(homeA, 'cache', 'manifests')
    let written = false
    const onProgress = (p: OperationProgress) => {
      if (p.operation !== 'prune') return
      // Outlast the reporter's interval, so the event after the first unlink is sent.
      if (p.phase === 'removing' && p.filesRemoved === 0)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 80)
      if (p.filesRemoved >= 1 && !written) {
        written = true
        // As msb writes it: a .json.part renamed into place.
        writeFileSync(join(manifests, `${recordName}.part`), record)
        renameSync(join(manifests, `${recordName}.part`), join(manifests, recordName))
      }
    }
    const cache = openCache({ home: homeA, graceMs: 0, strayMarginMs: 0 })
    let differences: string[]
    try {
      const plan = cache.prunePlan({ scope: { kind: 'unused' } })
      differences = cache.prune(
        { scope: { kind: 'unused' }, fingerprint: plan.fingerprint },
        { onProgress }
      ).differences
    } finally {
      cache.close()
    }
    expect(written).toBe(true)
    expect(listed(homeA)).toEqual([])
    expect(differences.filter((d) => d.includes('put back')).length).toBeGreaterThan(0)
    expect(damage(homeB, join(homeA, 'cache'))).toEqual([])
  })
})

describe('a cache shared by homes that are named (--also-home)', () => {
  it('three homes: each prune and remove takes only what none of them uses, and every listed image stays usable', async () => {
    const s = setup('named', 3)
    const [h0, h1, h2] = s.homes
    const others = (home: string) => s.homes.filter((h) => h !== home)
    const layerCount = () => readdirSync(join(s.shared, 'layers')).filter((f) => f.endsWith('.erofs')).length
    expect(layerCount()).toBe(5)

    // Home 0 prunes everything it does not use: a2's files go; a:1's stay (home 1 lists it), the shared layer stays.
    const p0 = prune(h0, { kind: 'unused' }, others(h0))
    expect(p0.result.report.imageRefsRemoved).toBe(2)
    expect(p0.plan.files.filter((f) => f.kind === 'layer')).toHaveLength(1)
    expect(p0.plan.keptFiles.some((f) => f.homes.includes(h1))).toBe(true)
    expect(p0.result.report.bytesReclaimed).toBe(p0.plan.totalBytes)
    expect(layerCount()).toBe(4)
    expect(allDamage(s)).toEqual([])

    // Home 1 removes a:1: now nobody uses it, its own layer and fsmeta/vmdk go; the shared layer stays for b and c.
    const r1 = remove(h1, ['localhost/a:1'], false, others(h1))
    expect(r1.result.filesRemoved).toBe(r1.plan.files.length)
    expect(r1.plan.files.map((f) => f.kind).sort()).toEqual(['fsmeta', 'layer', 'metadata', 'vmdk'])
    expect(layerCount()).toBe(3)
    expect(allDamage(s)).toEqual([])

    // Home 2 force-removes c:1: c's own layer goes, the shared layer stays for b.
    const r2 = remove(h2, ['localhost/c:1'], true, others(h2))
    expect(r2.result.removed).toEqual(['localhost/c:1'])
    expect(layerCount()).toBe(2)
    expect(allDamage(s)).toEqual([])

    // A dangling prune with every home named finds nothing another home uses.
    for (const home of s.homes) {
      const d = prune(home, { kind: 'dangling' }, others(home))
      expect(d.plan.files.map((f) => f.path)).toEqual([])
    }
    expect(listed(h1)).toEqual(['localhost/b:1'])
    expect(allDamage(s)).toEqual([])

    // Through the CLI: home 1 prunes, naming the others; then the cache holds nothing any home lists.
    const cli = await runCli(['prune', '--yes', '--json', '--home', h1, '--also-home', h0, '--also-home', h2])
    expect(cli.code).toBe(0)
    expect(JSON.parse(cli.stdout).image_refs_removed).toBe(1)
    expect(layerCount()).toBe(0)
  })

  it('a named home that does not exist: the error names the home, not a command-line flag (the window says it too)', () => {
    const s = setup('missing-other', 2)
    const cache = openCache({ home: s.homes[0] })
    try {
      const missing = join(root, 'missing-other', 'nowhere')
      expect(() => cache.shareCacheWith({ homes: [missing] })).toThrow(
        `cannot share this cache with ${missing}: the home ${missing} does not exist`
      )
    } finally {
      cache.close()
    }
  })

  it('a named home whose paths.cache is another directory is an error, nothing changed', async () => {
    const s = setup('conflict', 2)
    const stranger = join(root, 'conflict', 'stranger')
    mkdirSync(stranger, { recursive: true })
    writeFileSync(
      join(stranger, 'config.json'),
      JSON.stringify({ paths: { cache: join(root, 'conflict', 'another-cache') } })
    )
    const files = fileCount(s)
    const r = await runCli(['prune', '--yes', '--home', s.homes[0], '--also-home', s.homes[1], '--also-home', stranger])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/paths\.cache conflicts/)
    expect(listed(s.homes[0])).toEqual(['localhost/a2:1', 'localhost/a:1'])
    expect(fileCount(s)).toBe(files)
  })
})
