// firstRows: the window draws these rows before the whole list arrives: the first images in the
// opening order (its agreement with the window's sort: renderer store/opening-order.test.ts), with
// who uses each, and how many there are.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openingOrder } from '../../../shared/opening-order'
import { buildScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'

describe('firstRows', () => {
  let home: string
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'ice-first-rows-'))
    buildScenario(home, standardScenario())
  })
  afterAll(() => rmSync(home, { recursive: true, force: true }))

  it('gives every image of a small cache in the opening order, with who uses each', () => {
    const cache = openCache({ home })
    try {
      const first = cache.firstRows()
      const list = cache.list()
      expect(first.total).toBe(list.length)
      expect(first.images).toEqual(openingOrder(list, list.length))
      expect([...first.images].sort((a, b) => a.reference.localeCompare(b.reference))).toEqual(
        [...list].sort((a, b) => a.reference.localeCompare(b.reference))
      )
      const uses = new Map(cache.imageUse().map((u) => [u.reference, u]))
      expect(first.uses).toEqual(first.images.map((i) => uses.get(i.reference)))
    } finally {
      cache.close()
    }
  })
})
