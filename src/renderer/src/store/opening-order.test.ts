// The opening order (shared/opening-order.ts), in which the core sends the window's first screen,
// is exactly what the window's own sort puts first, or rows would jump when the whole list arrives.
import { describe, expect, it } from 'vitest'
import type { ImageHandle } from '../../../shared/contract'
import { openingOrder } from '../../../shared/opening-order'
import { joinRows, sortRows } from './rows'

const windowOrder = (images: ImageHandle[]) =>
  sortRows(joinRows(images, null), { key: 'created', desc: true }).map((r) => r.reference)

describe('the opening order', () => {
  it("is the window's own sort by created, newest first, with unknown times and ties", () => {
    // Times at ms, at ns within one ms (ties by reference), unknown and unparsable ones.
    // A seeded generator (an LCG): the same list every run.
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const images: ImageHandle[] = Array.from({ length: 400 }, (_, i) => {
      const r = next()
      const createdAt =
        r < 0.1
          ? null
          : r < 0.13
            ? 'not a time'
            : `2026-01-0${1 + Math.floor(next() * 3)}T10:00:00.${String(Math.floor(next() * 4)).padStart(3, '0')}${String(i).padStart(6, '0')}Z`
      return {
        reference: `registry.example/app-${Math.floor(next() * 1000)}:v${i}`,
        sizeBytes: 1,
        manifestDigest: null,
        architecture: null,
        os: null,
        layerCount: 1,
        lastUsedAt: null,
        createdAt
      }
    })
    expect(openingOrder(images, images.length).map((i) => i.reference)).toEqual(windowOrder(images))
    expect(openingOrder(images, 25).map((i) => i.reference)).toEqual(windowOrder(images).slice(0, 25))
  })
})
