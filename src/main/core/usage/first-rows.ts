// The window's first screen, before the rest of the list: the images it opens on, in its opening
// order (shared/opening-order.ts), so the page can draw them while the whole list (several MB at
// 10,000 images) is still on its way.
import type Database from 'better-sqlite3'
import type { FirstRows, ImageHandle } from '../../../shared/contract'
import { openingOrder } from '../../../shared/opening-order'
import { readImageUses } from '../planning/image-use'

export function readFirstRows(db: Database.Database, images: readonly ImageHandle[], count: number): FirstRows {
  const first = openingOrder(images, count)
  return {
    total: images.length,
    images: first,
    uses: readImageUses(
      db,
      first.map((i) => i.reference)
    )
  }
}
