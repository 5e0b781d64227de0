// CSV a spreadsheet reads back as the same cells, and never as a formula.
import { describe, expect, it } from 'vitest'
import { toCsv } from './export-csv'

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and leaves plain cells alone', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', 12],
          [null, 'plain']
        ]
      )
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",12\r\n,plain\r\n')
  })
  it('defuses text a spreadsheet would run as a formula; numbers stay numbers', () => {
    expect(toCsv(['c'], [['=HYPERLINK("x")'], ['+1'], ['-rf'], ['@SUM(A1)'], [-5]])).toBe(
      `c\r\n"'=HYPERLINK(""x"")"\r\n'+1\r\n'-rf\r\n'@SUM(A1)\r\n-5\r\n`
    )
  })
})
