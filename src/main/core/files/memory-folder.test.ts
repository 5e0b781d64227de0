// `<cache>/memory/`, new in msb 0.7.2: guest RAM of branches and full snapshots (mode 0700, entries never
// rewritten, `*.build-lock` files msb never unlinks, a `snapshots/` subfolder). It is not image data: the
// explorer never deletes in it, never counts it as an image's bytes, and shows it as its own kind. msb 0.7.2's
// prune never opens it either. Writing real guest RAM needs a running VM (KVM), so the folder here is laid
// out by hand after that description, in a cache msb 0.7.2 built.
import { chmodSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { runMsb } from '../../demo/msb'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'
import { cacheFiles, copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { smallScenario } from '../../../../test-support/core/small-scenario'

const dirs: string[] = []
let plain: string
let withMemory: string
const MEMORY_FILES: Record<string, number> = {
  'memory/snapshots/snap_0123456789abcdef0123456789abcdef/ram.bin': 256 * 1024,
  'memory/snapshots/snap_0123456789abcdef0123456789abcdef/state.json': 700,
  'memory/snapshots/snap_0123456789abcdef0123456789abcdef.build-lock': 0,
  'memory/branch-7f3a/ram.bin': 128 * 1024
}
const memoryBytes = Object.values(MEMORY_FILES).reduce((a, b) => a + b, 0)

function copy(of: string): string {
  const h = copyHome(of)
  dirs.push(dirname(h))
  return h
}

function memoryFiles(home: string) {
  return cacheFiles(home).filter((f) => f.path.startsWith('memory/'))
}

beforeAll(() => {
  const dir = tempDir('ice-memory-')
  dirs.push(dir)
  plain = join(dir, 'home')
  buildScenario(plain, smallScenario(), { msb: '0.7.2' })
  withMemory = copy(plain)
  const old = new Date(Date.now() - 24 * 3600 * 1000)
  for (const [path, bytes] of Object.entries(MEMORY_FILES)) {
    const file = join(withMemory, 'cache', path)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, Buffer.alloc(bytes, 7))
    // Old enough that a dangling prune would take it if it looked at it.
    utimesSync(file, old, old)
  }
  chmodSync(join(withMemory, 'cache', 'memory'), 0o700)
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('msb 0.7 snapshot memory under cache/memory', () => {
  it('is its own kind in disk usage and no image bytes', () => {
    const without = openCache({ home: plain })
    const withIt = openCache({ home: withMemory })
    try {
      const a = without.usage()
      const b = withIt.usage()
      expect(b.totals.find((t) => t.kind === 'memory')).toEqual({ kind: 'memory', files: 4, bytes: memoryBytes })
      expect(b.totals.find((t) => t.kind === 'other')).toEqual(a.totals.find((t) => t.kind === 'other'))
      expect(b.totalBytes).toBe(a.totalBytes + memoryBytes)
      expect(b.images).toEqual(a.images)
      expect(b.reclaimableBytes).toBe(a.reclaimableBytes)
      expect(b.danglingBytes).toBe(a.danglingBytes)
    } finally {
      without.close()
      withIt.close()
    }
  })

  it('survives every prune of the explorer and msb 0.7.2 prune, byte for byte', () => {
    const before = memoryFiles(withMemory)
    expect(before).toHaveLength(4)
    for (const scope of [{ kind: 'unused' }, { kind: 'dangling' }] as const) {
      const home = copy(withMemory)
      const cache = openCache({ home, graceMs: 0, strayMarginMs: 0 })
      const plan = cache.prunePlan({ scope })
      expect(
        plan.files.filter((f) => f.path.startsWith('memory')),
        scope.kind
      ).toEqual([])
      cache.prune({ scope, fingerprint: plan.fingerprint })
      cache.close()
      expect(memoryFiles(home), scope.kind).toEqual(before)
    }
    const theirs = copy(withMemory)
    runMsb(theirs, ['image', 'prune', '-y'], { msb: '0.7.2' })
    expect(memoryFiles(theirs)).toEqual(before)
  })

  it('`df` lists it as its own row', async () => {
    const df = await runCli(['df', '--home', withMemory])
    expect(df.code).toBe(0)
    expect(df.stdout).toMatch(/^memory\s+4\s+/m)
    expect(df.stdout).toContain('msb 0.7 schema (27 migrations)')
  })
})
