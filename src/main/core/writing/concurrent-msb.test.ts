// The grace period is waited only when an msb may be at work on the cache: another process holding a
// home's database open (as msb does from just after it finds a file until it records it), or a file
// being written in `cache/tmp` (msb staging an archive's layer or a download). With no such sign a removal
// unlinks at once; with one it waits, whatever the caller asked.
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationProgress } from '../../../shared/contract'
import { copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { holdDatabaseOpen } from '../../../../test-support/core/database-holder'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'
import { ConcurrentMsb, parseLocks } from './concurrent-msb'
import { TRASH_DIR } from './removal-journal'

const dirs: string[] = []
let small: string

beforeAll(() => {
  const dir = tempDir('ice-concurrent-msb-')
  dirs.push(dir)
  small = join(dir, 'small')
  buildScenario(small, smallScenario())
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A copy of the small home. */
function quietHome(): string {
  const home = copyHome(small)
  dirs.push(dirname(home))
  return home
}

function removePhases(home: string, graceMs: number): { phases: string[]; removed: string[] } {
  const cache = openCache({ home, graceMs })
  const phases: string[] = []
  const onProgress = (p: OperationProgress) => {
    if (p.operation === 'remove' && phases.at(-1) !== p.phase) phases.push(p.phase)
  }
  try {
    const plan = cache.removePlan({ references: ['localhost/solo:1'], force: false })
    const result = cache.remove(
      { references: ['localhost/solo:1'], force: false, fingerprint: plan.fingerprint },
      { onProgress }
    )
    return { phases, removed: result.removed }
  } finally {
    cache.close()
  }
}

describe('signs of a concurrent msb', () => {
  it('reads /proc/locks lines: holders, waiters and open-file-description locks', () => {
    const text = [
      '1: POSIX  ADVISORY  READ 1046 fe:00:5816679 128 128',
      '1: -> POSIX  ADVISORY  WRITE 2001 fe:00:5816679 128 128',
      '2: FLOCK  ADVISORY  WRITE 77 00:2c:42 0 EOF',
      '3: OFDLCK ADVISORY  READ -1 08:01:99 0 EOF',
      ''
    ].join('\n')
    expect(parseLocks(text)).toEqual([
      { pid: 1046, inode: '5816679' },
      { pid: 2001, inode: '5816679' },
      { pid: 77, inode: '42' },
      { pid: -1, inode: '99' }
    ])
  })

  it('a quiet cache shows none; another process with the database open, or a file being staged, is one', async () => {
    const home = quietHome()
    const watch = new ConcurrentMsb({ cacheDir: join(home, 'cache'), dbPaths: [join(home, 'db', 'msb.db')] })
    expect(watch.sign()).toBeNull()
    const holder = await holdDatabaseOpen(home)
    try {
      expect(watch.sign()).toBe('another process has the msb database open')
    } finally {
      holder.kill('SIGKILL')
      await new Promise((resolve) => holder.once('exit', resolve))
    }
    expect(watch.sign()).toBeNull()
    // msb's lock files and the explorer's own trash say nothing; a layer being staged does, until it is old.
    writeFileSync(join(home, 'cache', 'tmp', 'sha256_abc.download.lock'), '')
    mkdirSync(join(home, 'cache', 'tmp', TRASH_DIR), { recursive: true })
    expect(watch.sign()).toBeNull()
    const staged = join(home, 'cache', 'tmp', 'load-0-x1y2.blob')
    writeFileSync(staged, 'layer bytes')
    expect(watch.sign()).toBe('msb is writing cache/tmp/load-0-x1y2.blob')
    const anHourAgo = new Date(Date.now() - 3_600_000)
    utimesSync(staged, anHourAgo, anHourAgo)
    expect(watch.sign()).toBeNull()
  })

  it('where lock holders cannot be read, the removal assumes msb may be at work', () => {
    const home = quietHome()
    const blind = new ConcurrentMsb(
      { cacheDir: join(home, 'cache'), dbPaths: [join(home, 'db', 'msb.db')] },
      () => null
    )
    expect(blind.sign()).toMatch(/does not show who holds file locks/)
  })
})

describe('the grace period of a removal', () => {
  it('nothing at work: the files go at once, with no wait (a minute of grace would time the test out)', () => {
    const { phases, removed } = removePhases(quietHome(), 60_000)
    expect(removed).toEqual(['localhost/solo:1'])
    expect(phases).toContain('removing')
    expect(phases).not.toContain('waiting')
  })

  it('msb is staging a layer in cache/tmp: the removal waits its grace period (the sign is read after the move)', () => {
    const home = quietHome()
    writeFileSync(join(home, 'cache', 'tmp', 'load-0-x1y2.blob'), 'layer bytes')
    const { phases, removed } = removePhases(home, 200)
    expect(removed).toEqual(['localhost/solo:1'])
    expect(phases).toContain('waiting')
  })

  it('another process has the database open: the removal waits its grace period', async () => {
    const home = quietHome()
    const holder = await holdDatabaseOpen(home)
    try {
      const { phases, removed } = removePhases(home, 200)
      expect(removed).toEqual(['localhost/solo:1'])
      expect(phases).toContain('waiting')
    } finally {
      holder.kill('SIGKILL')
    }
  })
})
