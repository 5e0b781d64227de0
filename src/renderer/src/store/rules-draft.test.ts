import { describe, expect, it } from 'vitest'
import { rulesOf } from './rules-draft'

describe('rulesOf', () => {
  it('reads the three inputs; blank inputs are rules not given', () => {
    expect(rulesOf({ unusedFor: ' 30d ', keepLast: '2', keep: ' docker.io/library/*  ghcr.io/{a,b}/** ' })).toEqual({
      rules: { unusedFor: '30d', keepLast: 2, keep: ['docker.io/library/*', 'ghcr.io/{a,b}/**'] }
    })
    expect(rulesOf({ unusedFor: '', keepLast: '3', keep: '' })).toEqual({ rules: { keepLast: 3 } })
  })
  it('explains what does not read, and asks for a rule when none is given', () => {
    expect(rulesOf({ unusedFor: '30', keepLast: '', keep: '' })).toEqual({
      error: expect.stringMatching(/^Unused for: "30" is not a duration/)
    })
    expect(rulesOf({ unusedFor: '', keepLast: '0', keep: '' })).toEqual({
      error: expect.stringMatching(/whole number, 1 or more/)
    })
    expect(rulesOf({ unusedFor: '', keepLast: '2.5', keep: '' })).toEqual({
      error: expect.stringMatching(/whole number/)
    })
    expect(rulesOf({ unusedFor: ' ', keepLast: '', keep: '  ' })).toEqual({ error: 'Give at least one rule.' })
  })
})
