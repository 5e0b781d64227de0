// The JSON printer behind every `--json` flag: serde_json's pretty format, and msb's key order for labels.
import { describe, expect, it } from 'vitest'
import { prettyJson } from './msb-json'

describe('prettyJson', () => {
  it('prints plain data exactly like JSON.stringify(value, null, 2)', () => {
    const samples: unknown[] = [
      null,
      0,
      -1.5,
      'a "quoted" \\ \n \u0001 \u007f \u2028 string',
      [],
      {},
      [[], {}, [1, [2, { a: [] }]]],
      { a: 1, b: { c: [1, 'x', null, true], d: {} }, e: undefined, f: [undefined], g: new Date(0) },
      { error: { code: 'Internal', message: 'x' }, reference: 'r' }
    ]
    for (const v of samples) expect(prettyJson(v)).toBe(JSON.stringify(v, null, 2))
  })

  it("prints a Map as an object in the Map's order, integer-like keys included", () => {
    const m = new Map<string, unknown>([
      ['', 1],
      ['10', 2],
      ['9', 3],
      ['a', new Map([['2', []]])]
    ])
    expect(prettyJson({ labels: m })).toBe(
      '{\n  "labels": {\n    "": 1,\n    "10": 2,\n    "9": 3,\n    "a": {\n      "2": []\n    }\n  }\n}'
    )
    expect(prettyJson(new Map())).toBe('{}')
  })
})
