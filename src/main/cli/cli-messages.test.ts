// What the CLI says when a command cannot do what was asked: the words a person at a terminal acts on.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import { buildScenario, standardScenario } from '../../../test-support/fixtures/scenarios'

let home: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ice-cli-'))
  buildScenario(home, standardScenario())
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

describe('cli messages', () => {
  it('rm of an image in use names the sandbox and the flag, with no stray count', async () => {
    const r = await runCli(['rm', 'alpine', '--home', home])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'alpine is in use by sandbox scratch (Stopped); use --force to remove the reference anyway'
    )
    expect(r.stderr).not.toMatch(/sandbox\(es\): \d/)
  })

  it('inspect of a malformed reference says invalid reference, a well-formed unknown one not found', async () => {
    const bad = await runCli(['inspect', 'Bad Ref!!', '--home', home])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^error: invalid reference: "Bad Ref!!"/)
    const unknown = await runCli(['inspect', 'nope/never:pulled', '--home', home])
    expect(unknown.stderr).toBe('error: image not found: nope/never:pulled\n')
  })

  it('the help says inspect lists layers in the order it prints them (top first)', async () => {
    const help = await runCli(['--help'])
    expect(help.stdout).toMatch(/inspect REF .*top layer first/)
    const out = await runCli(['inspect', 'localhost:5000/team/app:1.0', '--home', home])
    const table = out.stdout.slice(out.stdout.indexOf('Layers (top first'))
    const layerLines = table.split('\n').filter((l) => /^\s*\d+\s+\S/.test(l))
    const positions = layerLines.map((l) => Number(l.trim().split(/\s+/)[0]))
    expect(positions.length).toBeGreaterThan(1)
    expect(positions).toEqual([...positions].sort((a, b) => b - a))
  })

  it('df --json gives each image the bytes its removal frees, equal to rm --dry-run --json', async () => {
    const df = JSON.parse((await runCli(['df', '--json', '--home', home])).stdout) as {
      images: { reference: string; freedBytes: number; sandboxes: unknown[] }[]
    }
    for (const image of df.images) {
      const args = ['rm', image.reference, '--dry-run', '--json', '--home', home]
      if (image.sandboxes.length) args.push('--force')
      const plan = JSON.parse((await runCli(args)).stdout) as { totalBytes: number }
      expect(image.freedBytes, image.reference).toBe(plan.totalBytes)
    }
  })
})
