// `rm A B C…` removes every reference that can go in one write, and reports each that cannot (not
// found, or in use without --force) while the rest are still removed, as `msb image rm` does.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import { buildScenario, standardScenario } from '../../../test-support/fixtures/scenarios'
import { msbJson } from '../demo/msb'

let root: string
let home: string
const listed = () => msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-cli-rm-'))
  home = join(root, 'home')
  buildScenario(home, standardScenario())
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('ice rm REF…', () => {
  it('removes the references that can go together and names each that cannot', async () => {
    const gone = ['docker.io/library/nginx:1.27', 'localhost/plain:dev']
    const inUse = 'localhost:5000/team/app:1.0'
    const before = listed()
    expect(before).toEqual(expect.arrayContaining([...gone, inUse]))

    const r = await runCli(['rm', gone[0], 'nope.invalid/missing:1', inUse, gone[1], '--json', '--home', home])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as {
      result: { removed: string[] }
      failed: { reference: string; error: { code: string } }[]
    }
    expect(out.result.removed.sort()).toEqual([...gone].sort())
    expect(out.failed.map((f) => [f.reference, f.error.code]).sort()).toEqual([
      [inUse, 'ImageInUse'],
      ['nope.invalid/missing:1', 'ImageNotFound']
    ])
    expect(listed().sort()).toEqual(before.filter((x) => !gone.includes(x)).sort())
    // Not a terminal, --json: no progress line on stderr, only the errors.
    expect(r.stderr).not.toMatch(/Removing/)
    expect(r.stderr).toMatch(/nope\.invalid\/missing:1/)
  })

  it('names each reference in use on its own line, with its own sandbox and the --force hint', async () => {
    const r = await runCli(['rm', 'localhost:5000/team/app:1.0', 'registry.example.com:8443/a/b/c:tag', '--home', home])
    expect(r.code).toBe(1)
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('error: ') && l.includes('in use'))
    expect(lines).toEqual([
      expect.stringMatching(
        /^error: localhost:5000\/team\/app:1\.0 is in use by sandbox web-1 \(Running\); use --force/
      ),
      expect.stringMatching(
        /^error: registry\.example\.com:8443\/a\/b\/c:tag is in use by sandbox py-job \(Running\); use --force/
      )
    ])
  })

  it('changes nothing when no reference can go', async () => {
    const before = listed()
    const r = await runCli(['rm', 'nope.invalid/missing:2', '--home', home])
    expect(r.code).toBe(1)
    expect(listed()).toEqual(before)
  })
})
