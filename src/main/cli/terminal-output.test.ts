// A crafted layer's file names reach a terminal through `ice files`: control characters (escape
// sequences that set the title or clear the screen, a line break that prints a row that is not there)
// come out escaped in every human output, while JSON keeps the names exactly.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import { buildCache } from '../demo/build-cache'
import { escapeField, escapeOutput } from './terminal-text'

const TITLE = 'a\u001b]0;owned\u0007title'
const CLEAR = '\u001b[2J\u001b[Hclear'
const FAKE_ROW = 'x\n-rwsr-xr-x 0:0        1 B  L0       FAKE/etc/shadow'
const CSI = 'c1\u009b31mred'
const BIDI = 'evil\u202etxt.exe'

let root: string
let home: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-terminal-'))
  home = join(root, 'home')
  const file = (name: string) => ({ name: `hostile/${name}`, type: 'file' as const, data: Buffer.from('x') })
  buildCache(home, [
    {
      reference: 'localhost/hostile:1',
      image: {
        layers: [{ seed: 'hostile', sizeBytes: 0, entries: [TITLE, CLEAR, FAKE_ROW, CSI, BIDI].map(file) }],
        config: { cmd: ['sh'] }
      }
    }
  ])
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

it('files prints control characters in names as escapes, one line per entry; --json keeps them exactly', async () => {
  const human = await runCli(['files', 'localhost/hostile:1', '--home', home])
  expect(human.code).toBe(0)
  // eslint-disable-next-line no-control-regex
  expect(human.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/)
  expect(human.stdout).toContain('hostile/a\\x1b]0;owned\\x07title')
  expect(human.stdout).toContain('hostile/\\x1b[2J\\x1b[Hclear')
  expect(human.stdout).toContain('hostile/c1\\x9b31mred')
  expect(human.stdout).toContain('hostile/evil\\u202etxt.exe')
  // The line break stays inside its row: no line starts with the fake row's text.
  expect(human.stdout).toContain('hostile/x\\n-rwsr-xr-x')
  expect(human.stdout.split('\n').some((l) => l.startsWith('-rwsr-xr-x'))).toBe(false)
  const json = await runCli(['files', 'localhost/hostile:1', '--home', home, '--json'])
  const paths = (JSON.parse(json.stdout) as { path: string }[]).map((r) => r.path)
  for (const name of [TITLE, CLEAR, FAKE_ROW, CSI, BIDI]) expect(paths).toContain(`/hostile/${name}`)
})

it('escapes keep text apart: a field loses its line breaks, a whole output keeps its own', () => {
  expect(escapeField('a\nb\tc\u001b')).toBe('a\\nb\\tc\\x1b')
  expect(escapeOutput('row 1\nrow\u00072')).toBe('row 1\nrow\\x072')
  expect(escapeField('naïve ü 日本')).toBe('naïve ü 日本')
})
