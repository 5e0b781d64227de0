// `prune` with retention rules and the CSV exports, from the command line, on a cache msb built.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PrunePlan } from '../../shared/contract'
import { buildCache, markInUse, msbTimestamp } from '../demo/build-cache'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import { msbJson } from '../demo/msb'
import { dumpRows, tempDir } from '../../../test-support/core/cache-dump'
import { smallImage } from '../../../test-support/core/small-scenario'

const DAY = 86_400_000
let dir: string
let home: string

beforeAll(() => {
  dir = tempDir('ice-retention-cli-')
  home = join(dir, 'home')
  const refs = ['localhost/app:1', 'localhost/app:2', 'localhost/app:3', 'localhost/tool:1']
  buildCache(
    home,
    refs.map((reference) => ({ reference, image: smallImage(reference.replace(/\W/g, '-'), []) }))
  )
  markInUse(home, 'localhost/app:1', { name: 'runner', status: 'Running' })
  const db = new Database(join(home, 'db', 'msb.db'))
  const days: Record<string, number> = {
    'localhost/app:1': 80,
    'localhost/app:2': 45,
    'localhost/app:3': 5,
    'localhost/tool:1': 40
  }
  for (const [reference, d] of Object.entries(days)) {
    db.prepare('UPDATE image_ref SET updated_at = ? WHERE reference = ?').run(
      msbTimestamp(new Date(Date.now() - d * DAY - 60_000)),
      reference
    )
  }
  db.close()
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('prune with retention rules', () => {
  it('--dry-run --json lists the chosen references, each with why, and changes nothing', async () => {
    const before = dumpRows(home)
    const r = await runCli([
      'prune',
      '--home',
      home,
      '--dry-run',
      '--json',
      '--unused-for',
      '30d',
      '--keep',
      'localhost/tool:*'
    ])
    expect(r.code).toBe(0)
    const plan = JSON.parse(r.stdout) as PrunePlan
    expect(plan.scope).toEqual({ kind: 'rules', rules: { unusedFor: '30d', keep: ['localhost/tool:*'] } })
    expect(plan.references).toEqual(['localhost/app:2'])
    expect(plan.chosen).toEqual([
      expect.objectContaining({
        reference: 'localhost/app:2',
        repository: 'localhost/app',
        rank: 2,
        why: ['unused for 45 days', 'matches no keep pattern']
      })
    ])
    expect(plan.kept.map((k) => [k.reference, k.reason])).toEqual([
      ['localhost/app:1', 'sandbox'],
      ['localhost/app:3', 'rule'],
      ['localhost/tool:1', 'rule']
    ])
    expect(dumpRows(home)).toEqual(before)
  })

  it('--dry-run --csv prints one row per item with the bytes summing to the plan; df --csv one row per image', async () => {
    const json = JSON.parse(
      (await runCli(['prune', '--home', home, '--dry-run', '--json', '--keep-last', '1'])).stdout
    ) as PrunePlan
    const csv = await runCli(['prune', '--home', home, '--dry-run', '--csv', '--keep-last', '1'])
    expect(csv.code).toBe(0)
    const lines = csv.stdout.trimEnd().split('\r\n')
    expect(lines[0]).toBe('action,kind,item,bytes,why')
    expect(lines).toContain('delete,reference,localhost/app:2,,2nd most recent of localhost/app')
    expect(lines).toContain('keep,reference,localhost/app:3,,most recent of localhost/app')
    const bytes = lines.slice(1).reduce((n, l) => n + Number(l.split(',')[3] || 0), 0)
    expect(bytes).toBe(json.totalBytes)
    const df = await runCli(['df', '--home', home, '--csv'])
    const rows = df.stdout.trimEnd().split('\r\n')
    expect(rows[0]).toBe('reference,manifest_digest,unique_bytes,shared_bytes,sandboxes,snapshots,aliases')
    expect(
      rows
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort()
    ).toEqual(['localhost/app:1', 'localhost/app:2', 'localhost/app:3', 'localhost/tool:1'])
    expect(rows.find((l) => l.startsWith('localhost/app:1,'))?.split(',')[4]).toBe('runner')
  })

  it('a duration, count or pattern that does not parse is a clear error (exit 2) and changes nothing', async () => {
    const before = dumpRows(home)
    const cases: [string[], RegExp][] = [
      [['--unused-for', '30 days'], /"30 days" is not a duration/],
      [['--keep-last', 'two'], /--keep-last must be a whole number/],
      [['--keep', 'localhost/{app'], /keep pattern "localhost\/\{app" does not parse/],
      [
        ['--keep', '{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}'],
        /keep pattern ".*" is too complex: .* more than 256/
      ],
      [['--unused-for', '30d', '--dangling'], /choose one of --image, --dangling or retention rules/],
      [['--unused-for', '30d', '--csv'], /--csv goes with --dry-run/]
    ]
    for (const [flags, message] of cases) {
      const r = await runCli(['prune', '--home', home, '--yes', ...flags])
      expect(r.code, flags.join(' ')).toBe(2)
      expect(r.stderr).toMatch(message)
    }
    expect(dumpRows(home)).toEqual(before)
  })

  it('--yes prunes what the preview chose, and msb then lists the rest', async () => {
    const r = await runCli(['prune', '--home', home, '--yes', '--json', '--keep-last', '1'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ image_refs_removed: 1 })
    const listed = msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)
    expect(listed.sort()).toEqual(['localhost/app:1', 'localhost/app:3', 'localhost/tool:1'])
  })
})

describe('a keep pattern made to backtrack (issue 26)', () => {
  it('matches an ordinary CI tag in bounded time, whatever its wildcards', { timeout: 20_000 }, async () => {
    // A backtracking matcher took 19 s on this pair (a dozen such pairs did not end in 100 s).
    const ciHome = join(dir, 'ci-home')
    const tag = `ghcr.io/acme/app:sha-${'0123456789abcdef'.repeat(3).slice(0, 40)}`
    buildCache(ciHome, [{ reference: tag, image: smallImage('ci', []) }])
    const hostile = '**/*?*?*?*?*?*?*?*?*?*?X'
    const started = performance.now()
    for (const keep of [hostile, hostile.replace('X', '*')]) {
      const r = await runCli(['prune', '--home', ciHome, '--dry-run', '--json', '--keep', keep])
      expect(r.code).toBe(0)
      const plan = JSON.parse(r.stdout) as PrunePlan
      expect(plan.chosen?.map((c) => c.reference) ?? []).toEqual(keep === hostile ? [tag] : [])
    }
    console.log(`two prune previews with a hostile keep pattern: ${(performance.now() - started).toFixed(0)} ms`)
  })
})
