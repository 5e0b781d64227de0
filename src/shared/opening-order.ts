// The window's opening order (created, newest first), shared by the core's `firstRows`, which sends the
// first screen in it, and the renderer, whose own sort (rows.ts, `sortRows` by created, descending) must
// give the same order: time parsed to ms, unknown times last, ties by reference.
import type { ImageHandle } from './contract'

function createdMs(image: ImageHandle): number | null {
  if (!image.createdAt) return null
  const ms = Date.parse(image.createdAt)
  return Number.isNaN(ms) ? null : ms
}

/** The first `count` of `images` in the window's opening order. */
export function openingOrder(images: readonly ImageHandle[], count: number): ImageHandle[] {
  const keyed = images.map((image) => ({ image, ms: createdMs(image) }))
  keyed.sort((a, b) => {
    if (a.ms === null) {
      if (b.ms !== null) return 1
    } else if (b.ms === null) return -1
    else if (a.ms !== b.ms) return b.ms - a.ms
    const ra = a.image.reference
    const rb = b.image.reference
    return ra < rb ? -1 : ra > rb ? 1 : 0
  })
  return keyed.slice(0, count).map((k) => k.image)
}
