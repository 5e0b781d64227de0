// Flags and states the CLI refuses at once, with a clear reason, a non-zero exit and nothing changed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import { runMsb } from '../demo/msb'
import { writeOciArchive } from '../demo/oci-archive'

let root: string
let home: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-cli-refusals-'))
  home = join(root, 'home')
  const archive = join(root, 'image.tar')
  writeOciArchive(archive, [{ layers: [{ seed: 'refusals', sizeBytes: 4096 }], config: { cmd: ['sh'] } }])
  runMsb(home, ['load', '-q', '-i', archive, '-t', 'localhost/scratchy:1'])
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

const images = () => JSON.parse(runMsb(home, ['image', 'ls', '--format', 'json']).stdout) as unknown[]

describe('conflicting or misplaced flags', () => {
  it.each([
    [['prune', '--dangling', '--image', 'localhost/scratchy:1', '--yes'], /--dangling and --image cannot be combined/],
    [['rm', '--yes', 'localhost/scratchy:1'], /--yes is for prune only/],
    [['prune', '--force', '--yes'], /--force is for rm only/],
    [['ls', '--dangling'], /for prune only/],
    [['serve', '--port', '0x10'], /--port must be a decimal number/],
    [['serve', '--port', ''], /--port must be a decimal number/],
    [['serve', '--port', '70000'], /--port must be a decimal number/],
    [['ls', '--port', '8080'], /--port is for serve only/]
  ])('%j is refused', async (args, why) => {
    const r = await runCli([...args, '--home', home])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(why)
    expect(images()).toHaveLength(1)
  })
})

describe('a write lock held by another program', () => {
  it('rm fails fast with "msb is writing, try again" and removes nothing', async () => {
    const holder = new Database(join(home, 'db', 'msb.db'))
    holder.exec('BEGIN IMMEDIATE')
    try {
      const started = Date.now()
      const r = await runCli(['rm', '--home', home, 'localhost/scratchy:1'])
      const seconds = (Date.now() - started) / 1000
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/msb is writing, try again/)
      expect(seconds).toBeLessThan(8)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
    expect(images()).toHaveLength(1)
  })
})
