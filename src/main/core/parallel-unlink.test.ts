// unlinkAll, which a prune of many files uses (file-removal.ts): every file goes, and each path gets
// its own answer, in order, with what went wrong for those that could not go.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { unlinkAll } from './parallel-unlink'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ice-unlink-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('unlinks every file and answers per path, in order', () => {
  const files = Array.from({ length: 300 }, (_, i) => join(dir, `f${i}`))
  for (const f of files) writeFileSync(f, 'x')
  mkdirSync(join(dir, 'a-directory'))
  const paths = [...files.slice(0, 150), join(dir, 'missing'), join(dir, 'a-directory'), ...files.slice(150)]

  const answers = unlinkAll(paths)

  expect(answers).toHaveLength(paths.length)
  expect(answers[150]).toMatch(/ENOENT/)
  expect(answers[151]).toMatch(/EISDIR|EPERM/)
  expect(answers.filter((a) => a !== null)).toHaveLength(2)
  expect(files.filter((f) => existsSync(f))).toEqual([])
  expect(existsSync(join(dir, 'a-directory'))).toBe(true)
})
