// Overlapping unlinks keep the one-by-one rule: no file is unlinked when a claim on it may have been written
// since its claims were checked. The helpers unlink only while the claim sources' stamps hold; a file they
// did not unlink goes back and is checked again.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { msbJson, runMsb } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { digestFileStem } from '../homes/digest'
import type * as Pool from './unlink-pool'

// Set by the removal test: runs between the main thread's checks of a round and the helpers' unlinks.
const between = { hook: null as (() => void) | null }
vi.mock('./unlink-pool', async (original) => {
  const real = await original<typeof Pool>()
  return {
    ...real,
    // A removal of a handful of files goes through the helpers too.
    POOL_MIN: 2,
    unlinkRound: (...args: Parameters<typeof real.unlinkRound>) => {
      between.hook?.()
      between.hook = null
      return real.unlinkRound(...args)
    }
  }
})
const { stampsOf, STALE, UNLINKED, unlinkRound } = await import('./unlink-pool')
const { openCache } = await import('../cache')

const root = mkdtempSync(join(tmpdir(), 'unlink-pool-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30)

/** `n` files to unlink, a records folder and a database with its -wal, all settled (older than the racy window). */
function scene(name: string, n: number) {
  const dir = join(root, name)
  const records = join(dir, 'manifests')
  mkdirSync(join(dir, 'trash'), { recursive: true })
  mkdirSync(records)
  writeFileSync(join(dir, 'msb.db'), 'db')
  writeFileSync(join(dir, 'msb.db-wal'), 'wal')
  const paths = Array.from({ length: n }, (_, i) => join(dir, 'trash', `f${i}`))
  for (const p of paths) writeFileSync(p, 'x')
  settle()
  return { dir, records, paths, sources: [records, join(dir, 'msb.db'), join(dir, 'msb.db-wal')] }
}

function run(paths: string[], sources: string[], stamps: string[]) {
  const answers: number[] = []
  unlinkRound(paths, sources, stamps, (i, { answer }) => void (answers[i] = answer))
  return answers
}

describe('the helpers unlink only while the claim sources are as checked', () => {
  it('nothing changed since the stamps: every file is unlinked', () => {
    const s = scene('unchanged', 200)
    const stamps = stampsOf(s.sources)!
    expect(run(s.paths, s.sources, stamps)).toEqual(s.paths.map(() => UNLINKED))
    expect(s.paths.filter((p) => existsSync(p))).toEqual([])
  })

  it('a record renamed into the folder after the checks: no file is unlinked, each goes back', () => {
    const s = scene('record', 200)
    const stamps = stampsOf(s.sources)!
    writeFileSync(join(s.records, 'r.json.part'), '{}')
    renameSync(join(s.records, 'r.json.part'), join(s.records, 'r.json'))
    expect(run(s.paths, s.sources, stamps)).toEqual(s.paths.map(() => STALE))
    expect(s.paths.filter((p) => existsSync(p))).toHaveLength(200)
  })

  it("a commit written to a home's -wal after the checks: no file is unlinked", () => {
    const s = scene('commit', 50)
    const stamps = stampsOf(s.sources)!
    writeFileSync(join(s.dir, 'msb.db-wal'), 'wal and a frame')
    expect(run(s.paths, s.sources, stamps)).toEqual(s.paths.map(() => STALE))
  })

  it('a source changed within two ticks of the coarse clock is not stamped (a second change could share its stamp)', () => {
    const s = scene('fresh', 1)
    writeFileSync(join(s.records, 'r.json'), '{}')
    expect(stampsOf(s.sources)).toBeNull()
    settle()
    expect(stampsOf(s.sources)).not.toBeNull()
  })
})

describe("the helpers unlink the lock files of a large removal's files", () => {
  it('those there go, those never made are passed over', () => {
    const s = scene('locks', 100)
    const made = s.paths.slice(0, 50)
    const neverMade = s.paths.slice(50)
    for (const p of neverMade) rmSync(p)
    const answers: number[] = []
    unlinkRound(s.paths, [], [], (i, { answer }) => void (answers[i] = answer), { ifPresent: true })
    expect(readdirSync(join(s.dir, 'trash'))).toEqual([])
    expect(answers.slice(0, 50)).toEqual(made.map(() => UNLINKED))
    expect(answers.slice(50).every((a) => a !== UNLINKED)).toBe(true)
  })
})

describe('a removal through the helpers', () => {
  let archive: string
  beforeAll(() => {
    archive = join(root, 'a.tar')
    writeOciArchive(archive, [
      { layers: ['one', 'two'].map((seed) => ({ seed, sizeBytes: 4096 })), config: { cmd: ['sh'] } }
    ])
  })

  it('a record another home writes between the checks and the unlinks keeps every file it names', () => {
    // As shared-cache.test.ts's race, with the record landing after the main thread checked the round.
    const base = join(root, 'removal')
    const [homeA, homeB, scratch] = ['home-a', 'home-b', 'scratch'].map((n) => join(base, n))
    mkdirSync(homeB, { recursive: true })
    writeFileSync(join(homeB, 'config.json'), JSON.stringify({ paths: { cache: join(homeA, 'cache') } }))
    runMsb(homeA, ['load', '-q', '-i', archive, '-t', 'localhost/a:1'])
    runMsb(scratch, ['load', '-q', '-i', archive, '-t', 'localhost/b-copy:1'])
    cpSync(join(scratch, 'db'), join(homeB, 'db'), { recursive: true })
    const recordName = readdirSync(join(scratch, 'cache', 'manifests')).find((n) => n.endsWith('.json'))!
    const record = readFileSync(join(scratch, 'cache', 'manifests', recordName))
    const manifests = join(homeA, 'cache', 'manifests')
    let written = false
    between.hook = () => {
      written = true
      writeFileSync(join(manifests, `${recordName}.part`), record)
      renameSync(join(manifests, `${recordName}.part`), join(manifests, recordName))
    }
    // The grace period lets the removal's own changes (its commit, its moves) settle, so the helpers are used.
    const cache = openCache({ home: homeA, graceMs: 30, graceAlways: true, strayMarginMs: 0 })
    let differences: string[]
    try {
      const plan = cache.prunePlan({ scope: { kind: 'unused' } })
      differences = cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint }).differences
    } finally {
      cache.close()
    }
    expect(written).toBe(true)
    expect(msbJson<unknown[]>(homeA, ['image', 'ls'])).toEqual([])
    expect(differences.filter((d) => d.includes('put back')).length).toBeGreaterThan(0)
    // Every file b-copy's record names is still there, and msb in home B finds its image whole.
    const detail = msbJson<{ digest: string; layers: { diff_id: string }[] }>(homeB, [
      'image',
      'inspect',
      'localhost/b-copy:1'
    ])
    const m = digestFileStem(detail.digest)
    const needed = [
      ...detail.layers.map((l) => `layers/${digestFileStem(l.diff_id)}.erofs`),
      `fsmeta/${m}.erofs`,
      `vmdk/${m}.vmdk`
    ]
    expect(needed.filter((p) => !existsSync(join(homeA, 'cache', p)))).toEqual([])
  })
})
