// A home at a schema the explorer does not know, but an installed msb does: the explorer previews, msb
// removes, and the result is shown beside the preview. The stand-in for "a newer msb's home": a real
// msb 0.7.2 home while the explorer is told it knows only 0.6.18's migrations; the installed msb is the
// real 0.7.2 binary, found through MSB_PATH or the home's bin/ as msb's SDKs find it.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { MIGRATIONS_AFTER_0_7_2, migrateTo078 } from '../../../../test-support/core/msb078-home'
import { isMsbAvailable, msbBinary, runMsb } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { openCache } from '../cache'
import { KNOWN_MIGRATIONS, setKnownMigrationsForTesting } from '../database/schema'

const ONLY_0_6 = KNOWN_MIGRATIONS.filter(
  (m) => !['m20260829_000001_split_snapshot_identity', 'm20260910_000001_snapshot_groups'].includes(m)
)
/** A PATH with no msb on it (the test runner's own PATH has node_modules/.bin/msb, 0.6.18). */
const NO_MSB_PATH = '/usr/bin:/bin'

let root: string
let n = 0

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-delegation-'))
  for (const name of ['one', 'two', 'three']) {
    writeOciArchive(join(root, `${name}.tar`), [
      { layers: [{ seed: `delegate-${name}`, sizeBytes: 16384 }], config: { cmd: ['sh'] } }
    ])
  }
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})
afterEach(() => setKnownMigrationsForTesting(null))

function home072(): string {
  const home = join(root, `h${n++}`)
  for (const name of ['one', 'two', 'three'])
    runMsb(home, ['load', '-q', '-i', join(root, `${name}.tar`), '-t', `localhost/${name}:1`], { msb: '0.7.2' })
  return home
}

const msbList = (home: string) =>
  (JSON.parse(runMsb(home, ['image', 'ls', '--format', 'json'], { msb: '0.7.2' }).stdout) as { reference: string }[])
    .map((i) => i.reference)
    .sort()

describe.skipIf(!isMsbAvailable('0.7.2'))('writes through the msb that knows the home', () => {
  it('with no such msb installed the home stays read-only and names the msb it needs', async () => {
    const home = home072()
    setKnownMigrationsForTesting(ONLY_0_6)
    const env = { MSB_PATH: undefined, PATH: NO_MSB_PATH }
    const cache = openCache({ home, env: { PATH: NO_MSB_PATH } })
    try {
      const s = cache.status()
      expect(s.readOnly).toBe(true)
      expect(s.readOnlyReason).toMatch(/install an msb that knows migration m20260829_000001_split_snapshot_identity/)
    } finally {
      cache.close()
    }
    const rm = await runCli(['rm', 'localhost/one:1', '--home', home], env)
    expect(rm.code).not.toBe(0)
    expect(rm.stderr).toMatch(/install an msb that knows migration/)
    expect(msbList(home)).toEqual(['localhost/one:1', 'localhost/three:1', 'localhost/two:1'])
  })

  it('rm goes through MSB_PATH: the preview names msb, and the result is msb`s beside the preview', async () => {
    const home = home072()
    setKnownMigrationsForTesting(ONLY_0_6)
    const env = { MSB_PATH: msbBinary('0.7.2'), PATH: NO_MSB_PATH }
    const dry = await runCli(['rm', 'localhost/one:1', '--dry-run', '--home', home], env)
    expect(dry.stdout).toMatch(/msb 0\.7\.2 \(.*\) will do it, running `msb image rm localhost\/one:1`/)
    const rm = await runCli(['rm', 'localhost/one:1', '--home', home], env)
    expect(rm.code).toBe(0)
    expect(rm.stdout).toMatch(/Done by msb 0\.7\.2 .*from MSB_PATH\): msb image rm localhost\/one:1/)
    expect(rm.stdout).toMatch(/references\s+1\s+1/)
    expect(rm.stdout).toMatch(/msb did exactly what the preview said/)
    expect(msbList(home)).toEqual(['localhost/three:1', 'localhost/two:1'])
  })

  it('prune goes through the home`s bin/msb with msb`s own report, and --json keeps msb`s keys', async () => {
    const home = home072()
    mkdirSync(join(home, 'bin'))
    symlinkSync(msbBinary('0.7.2'), join(home, 'bin', 'msb'))
    setKnownMigrationsForTesting(ONLY_0_6)
    const env = { MSB_PATH: undefined, PATH: NO_MSB_PATH }
    const cache = openCache({ home, env: { PATH: NO_MSB_PATH } })
    try {
      expect(cache.status()).toMatchObject({
        readOnly: false,
        writesThrough: { version: '0.7.2', source: 'home bin/' }
      })
      const plan = cache.prunePlan({ scope: { kind: 'unused' } })
      const result = cache.prune({ scope: { kind: 'unused' }, fingerprint: plan.fingerprint })
      expect(result.delegated?.args).toEqual(['image', 'prune', '-y', '--format', 'json'])
      expect(result.delegated?.actual).toEqual({
        ...result.delegated?.preview,
        references: result.delegated?.actual.references
      })
      expect(result.delegated?.actual.references.sort()).toEqual(plan.references.sort())
      expect(result.report.imageRefsRemoved).toBe(3)
      expect(result.differences).toEqual([])
      expect(plan.files.every((f) => !existsSync(join(home, 'cache', f.path)))).toBe(true)
    } finally {
      cache.close()
    }
    expect(msbList(home)).toEqual([])
    const again = await runCli(['prune', '--yes', '--json', '--home', home], env)
    expect(JSON.parse(again.stdout)).toMatchObject({ image_refs_removed: 0 })
  })

  it('picks the msb whose schema baseline holds the home, and not one that cannot say', () => {
    // A "0.7.8 home" and two stand-in binaries (shell scripts answering as msb would): one without
    // __schema-baseline, one listing 0.7.2's migrations and the two newer ones.
    const home = home072()
    migrateTo078(home)
    const baseline = JSON.parse(
      spawnSync(msbBinary('0.7.2'), ['__schema-baseline', '--json'], { encoding: 'utf8' }).stdout
    ) as { migrations: string[] }
    // The explorer as it was at msb 0.7.2 (it may know the newer names by now).
    setKnownMigrationsForTesting(baseline.migrations)
    const mute = join(root, `mute-${n}`)
    writeFileSync(mute, '#!/bin/sh\n[ "$1" = --version ] && echo "msb 0.7.9" && exit 0\nexit 2\n', { mode: 0o755 })
    const newer = join(root, `newer-${n}`, 'msb')
    mkdirSync(dirname(newer))
    const json = JSON.stringify({
      migrations: [...baseline.migrations, ...MIGRATIONS_AFTER_0_7_2],
      msb_version: '0.7.8'
    })
    writeFileSync(newer, `#!/bin/sh\n[ "$1" = --version ] && echo "msb 0.7.8" && exit 0\necho '${json}'\n`, {
      mode: 0o755
    })
    const cache = openCache({ home, env: { MSB_PATH: mute, PATH: `${dirname(newer)}:${NO_MSB_PATH}` } })
    try {
      expect(cache.status()).toMatchObject({ readOnly: false, writesThrough: { version: '0.7.8', source: 'PATH' } })
    } finally {
      cache.close()
    }
    const alone = openCache({ home, env: { MSB_PATH: mute, PATH: NO_MSB_PATH } })
    try {
      expect(alone.status().readOnlyReason).toContain(
        `install an msb that knows migration m20260922_000001_migrate_secret_config, or point MSB_PATH at it (checked: ${mute} = msb 0.7.9)`
      )
    } finally {
      alone.close()
    }
  })
})
