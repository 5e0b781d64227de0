// The duration grammar, the rule words and the edge schema every transport validates rules with.
import { describe, expect, it } from 'vitest'
import { parseArgs } from './argument-schemas'
import { describeIdle, describeRank, ordinal, parseDuration } from './retention'

describe('durations', () => {
  it('read hours, days, weeks and combinations', () => {
    expect(parseDuration('12h')).toEqual({ ms: 12 * 3_600_000 })
    expect(parseDuration('30d')).toEqual({ ms: 30 * 86_400_000 })
    expect(parseDuration('2w')).toEqual({ ms: 14 * 86_400_000 })
    expect(parseDuration(' 1w3d ')).toEqual({ ms: 10 * 86_400_000 })
  })

  it('refuse what is not one, with a message that says how to write one', () => {
    for (const bad of ['', '30', 'd', '30 d', '30days', '-3d', '1.5d', '3m', '30D']) {
      expect(parseDuration(bad)).toEqual({
        error: expect.stringContaining('is not a duration; use a number and a unit')
      })
    }
    expect(parseDuration('0d')).toEqual({ error: expect.stringContaining('is zero') })
    expect(parseDuration('3651d')).toEqual({ error: expect.stringContaining('longer than ten years') })
  })
})

describe('the words', () => {
  it('ordinals and phrases', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th'
    ])
    expect(describeIdle(41 * 86_400_000 + 5000)).toBe('unused for 41 days')
    expect(describeIdle(3_600_000)).toBe('unused for 1 hour')
    expect(describeIdle(47 * 3_600_000)).toBe('unused for 47 hours')
    expect(describeRank(4, 'docker.io/library/python')).toBe('4th most recent of docker.io/library/python')
    expect(describeRank(1, 'x')).toBe('most recent of x')
  })
})

describe('the rules scope at the edge', () => {
  const plan = (rules: unknown) => () => parseArgs('prunePlan', { scope: { kind: 'rules', rules } })
  it('accepts each rule and their combination', () => {
    expect(plan({ unusedFor: '30d', keepLast: 2, keep: ['docker.io/**'] })()).toEqual({
      scope: { kind: 'rules', rules: { unusedFor: '30d', keepLast: 2, keep: ['docker.io/**'] } }
    })
  })
  it('refuses no rule, a bad duration, a count below one, an empty pattern and unknown keys', () => {
    expect(plan({})).toThrow(/give at least one rule/)
    expect(plan({ keep: [] })).toThrow(/give at least one rule/)
    expect(plan({ unusedFor: '30 days' })).toThrow(/scope.rules.unusedFor: "30 days" is not a duration/)
    expect(plan({ keepLast: 0 })).toThrow(/keep-last must be 1 or more/)
    expect(plan({ keepLast: 1.5 })).toThrow(/whole number/)
    expect(plan({ keep: [''] })).toThrow(/keep pattern is empty/)
    expect(plan({ unusedFor: '30d', olderThan: '1d' })).toThrow(/invalid arguments for prunePlan/)
  })
})
