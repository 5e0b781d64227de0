// The `--keep` glob: the grammar README documents (checked against picomatch, the matcher it replaced,
// on the cases where a shell-like glob has one meaning), and matching that no pattern can make slow:
// the steps grow with the text's length, not with a power of it.
import picomatch from 'picomatch'
import { expect, it } from 'vitest'
import { compileGlob, GlobError, matchGlob, MAX_GLOB_ALTERNATIVES } from './glob'

const CASES: [string, string, boolean][] = [
  ['docker.io/library/*', 'docker.io/library/alpine:3.20', true],
  ['docker.io/library/*', 'docker.io/library/x/alpine:3', false],
  ['docker.io/**', 'docker.io/library/alpine:3.20', true],
  ['ghcr.io/{a,b}/**', 'ghcr.io/b/x/y:1', true],
  ['ghcr.io/{a,b}/**', 'ghcr.io/c/x:1', false],
  ['a/{b,{c,d}}/e', 'a/d/e', true],
  ['a/**', 'a', true],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['**/b', 'b', true],
  ['**', 'a/b:1', true],
  ['a**b', 'axxb', true],
  ['a**b', 'ax/xb', false],
  ['localhost/app:?', 'localhost/app:1', true],
  ['localhost/app:?', 'localhost/app:10', false],
  ['a?b', 'a/b', false],
  ['localhost/app:[0-9]', 'localhost/app:7', true],
  ['localhost/app:[^0-9]', 'localhost/app:7', false],
  ['[]a]', ']', true],
  ['x{a}', 'x{a}', true],
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['**/*:sha-*', 'ghcr.io/acme/app:sha-0a1b', true],
  ['*', 'localhost/app:1', false]
]

it('matches the documented grammar as picomatch did', () => {
  for (const [pattern, text, expected] of CASES) {
    expect(matchGlob(compileGlob(pattern), text), `${pattern} ~ ${text}`).toBe(expected)
    expect(picomatch(pattern, { dot: true })(text), `picomatch: ${pattern} ~ ${text}`).toBe(expected)
  }
})

it('refuses malformed and oversized patterns with a message that says which', () => {
  expect(() => compileGlob('localhost/[base')).toThrow(/"\[" without "\]"/)
  expect(() => compileGlob('localhost/{app')).toThrow(/"\{" without "\}"/)
  const many = '{a,b}'.repeat(Math.log2(MAX_GLOB_ALTERNATIVES) + 1)
  expect(() => compileGlob(many)).toThrow(GlobError)
  expect(() => compileGlob(many)).toThrow(/more than 256/)
  expect(() => compileGlob(`{${'a'.repeat(100)},b}${'?'.repeat(1000)}{c,d,e,f}`)).toThrow(/too complex|steps/)
})

it('takes steps linear in the text on patterns built to backtrack: a 10x longer tag takes about 10x the steps', () => {
  const hostile = ['**/*?*?*?*?*?*?*?*?*?*?X', '*a*a*a*a*a*a*a*a*b', '**/**/**/**/**/**/x']
  for (const pattern of hostile) {
    const glob = compileGlob(pattern)
    const steps = (hexLength: number) => {
      const count = { steps: 0 }
      const tag = `ghcr.io/acme/app:sha-${'a0'.repeat(hexLength / 2)}`
      expect(matchGlob(glob, tag, count)).toBe(false)
      return count.steps
    }
    const small = steps(40)
    const large = steps(400)
    console.log(
      `${pattern}: ${small} steps on a 40-hex tag, ${large} on a 400-hex tag (x${(large / small).toFixed(1)})`
    )
    expect(large / small).toBeLessThan(15)
  }
})
