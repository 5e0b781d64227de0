import { describe, expect, it } from 'vitest'
import { joinRows } from '../../store/rows'
import type { SortKey } from '../../store/rows'
import { type ColumnMeta, fitColumns, IMAGE_COLUMNS, IN_USE_COLUMN_ID } from './image-columns'
import { IN_USE_MAX_WIDTH, IN_USE_MIN_WIDTH, inUseWidth } from './in-use-width'

const ESSENTIAL = ['select', 'reference', 'freed', IN_USE_COLUMN_ID]

function shown(width: number, keep: SortKey, inUse: number) {
  const { visibility } = fitColumns(width, keep, inUse)
  return IMAGE_COLUMNS.map((c) => ({ id: c.id as string, meta: c.meta as ColumnMeta })).filter(
    (c) => visibility[c.id] !== false
  )
}

const needed = (columns: { id: string; meta: ColumnMeta }[], inUse: number) =>
  columns.reduce((sum, c) => sum + (c.id === IN_USE_COLUMN_ID ? inUse : c.meta.minWidth), 0)

describe('fitColumns', () => {
  it('keeps Reference, Frees and In use beside the detail pane at 1024 px, dropping even the sorted column', () => {
    // 1024×640 with the pane open leaves the grid 609 px inside its scrollbar.
    const ids = shown(609, 'created', 200).map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining(ESSENTIAL))
    expect(ids).not.toContain('created')
  })

  it('keeps Size and the sorted column at 800 px without the pane', () => {
    const ids = shown(785, 'created', 200).map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining([...ESSENTIAL, 'size', 'created']))
  })

  it('never needs to scroll sideways while a column can still drop', () => {
    for (const keep of ['created', 'inUse', 'digest', 'platform'] as SortKey[]) {
      for (const inUse of [IN_USE_MIN_WIDTH, 180, IN_USE_MAX_WIDTH]) {
        for (let width = 300; width <= 2000; width += 7) {
          const columns = shown(width, keep, inUse)
          const onlyEssentials = columns.every((c) => ESSENTIAL.includes(c.id))
          if (!onlyEssentials)
            expect(needed(columns, inUse), `${width} px, sorted by ${keep}`).toBeLessThanOrEqual(width)
          // The shown columns' narrowest total is what the grid may scroll below, never more than it needs.
          expect(fitColumns(width, keep, inUse).narrowest).toBeLessThanOrEqual(needed(columns, inUse))
        }
      }
    }
  })
})

describe('inUseWidth', () => {
  const measure = (text: string) => text.length * 6
  const rows = (uses: { sandboxes?: string[]; snapshots?: string[] }[]) =>
    joinRows(
      uses.map((_, i) => ({
        reference: `r${i}`,
        manifestDigest: null,
        sizeBytes: 0,
        layerCount: 0,
        createdAt: null,
        lastUsedAt: null,
        os: null,
        architecture: null
      })),
      null,
      uses.map((u, i) => ({
        reference: `r${i}`,
        manifestDigest: null,
        aliases: [],
        sandboxes: (u.sandboxes ?? []).map((name, id) => ({ id, name, status: 'Running' })),
        snapshots: u.snapshots ?? []
      }))
    )

  it('is the narrowest width when nothing is in use', () => {
    expect(inUseWidth(rows([{}, {}]), measure)).toBe(IN_USE_MIN_WIDTH)
  })
  it('fits the widest badge and names: cell padding, badge, gap, names', () => {
    // "Snapshot" 48 + badge padding 14, gap 6, "pg-before-migration" 114, padding 20, slack 2.
    expect(inUseWidth(rows([{ sandboxes: ['web-1'] }, { snapshots: ['pg-before-migration'] }]), measure)).toBe(
      20 + 14 + 48 + 6 + 114 + 2
    )
  })
  it('stops at the widest width: longer names are cut, with all of them in the title', () => {
    expect(inUseWidth(rows([{ sandboxes: ['a-very-long-sandbox-name', 'another-long-sandbox-name'] }]), measure)).toBe(
      IN_USE_MAX_WIDTH
    )
  })
})
