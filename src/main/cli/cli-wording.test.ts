// The small words of the CLI people noticed: plural forms and grouped counts, the units a duration
// takes, lock files labelled as locks, a deleted directory shown as deleted.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import { FILE_LAYERS } from '../../../test-support/fixtures/file-scenarios'
import { buildCache } from '../demo/build-cache'

let home: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ice-cli-wording-'))
  buildCache(home, [
    { reference: 'localhost/files:1', image: { layers: FILE_LAYERS } },
    { reference: 'localhost/solo:1', image: { layers: [{ seed: 'wording-solo', sizeBytes: 2048 }] } }
  ])
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

describe('cli wording', () => {
  it('files --layer shows a deleted directory as deleted, not with the whiteout marker mode', async () => {
    const r = await runCli(['files', 'localhost/files:1', '--layer', '1', '--home', home])
    expect(r.code).toBe(0)
    const line = r.stdout.split('\n').find((l) => l.endsWith(' /etc/gone/'))
    expect(line).toMatch(/^deleted\s+-\s+-\s+deleted\s+\/etc\/gone\/$/)
    expect(r.stdout).not.toMatch(/^[cd][-rwx]{9} .* deleted /m)
  })

  it('one reference is "1 reference", counts of files say file or files', async () => {
    const r = await runCli(['rm', 'localhost/solo:1', '--dry-run', '--home', home])
    expect(r.stdout).toMatch(/^Would remove: 1 reference, 1 manifest, 1 layer, \d+ files? \(/)
  })

  it('df labels lock files as locks', async () => {
    const df = JSON.parse((await runCli(['df', '--json', '--home', home])).stdout) as {
      totals: { kind: string; files: number }[]
    }
    expect(df.totals.map((t) => t.kind)).toContain('lock')
    const text = (await runCli(['df', '--home', home])).stdout
    expect(text).toMatch(/^lock\s+\d+\s+0 B$/m)
  })

  it('--unused-for with a unit it does not know says which units it takes', async () => {
    const r = await runCli(['prune', '--dry-run', '--unused-for', '30x', '--home', home])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'error: --unused-for: "30x" is not a duration; use a number and a unit h (hours), d (days) or w (weeks), e.g. 30d, 12h, 2w\n'
    )
  })
})
