// Narrow windows keep what a person decides on in view, as they see it: the In use column, header and
// cells, lies inside the grid's visible area with no horizontal scrolling, its text (badge and sandbox or
// snapshot names) is not cut, and a reference is not cut while its cell has room to spare. Checked at
// 800×600 and 1024×640, and with the detail pane open at 1024×640 and 1280×800.
import type { Page } from '@playwright/test'
import { detailPane, expect, grid, showRow, test } from './support/test'

/** The fixture's references held by a sandbox or a snapshot (their In use cells have text). */
const HELD = [
  'alpine',
  'docker.io/library/alpine:latest',
  'localhost:5000/team/app:1.0',
  'registry.example.com:8443/a/b/c:tag',
  'docker.io/library/postgres:16',
  'ubuntu:24.04'
]

/** What of the In use column and the reference cells a person cannot read, in the rows now rendered. */
function unreadable(page: Page) {
  return grid(page).evaluate((el) => {
    const view = el.getBoundingClientRect()
    // The grid's visible area: its box minus the vertical scrollbar.
    const right = view.left + el.clientLeft + el.clientWidth
    const outside = (box: DOMRect) => box.left < view.left - 1 || box.right > right + 1
    const width = (e: Element) => e.getBoundingClientRect().width
    // Text is cut when its whole width exceeds its box by any fraction: an ellipsis then replaces whole
    // letters (scrollWidth, rounded to pixels, misses that). The whole width, from an unconstrained copy.
    const natural = (e: HTMLElement) => {
      const copy = e.cloneNode(true) as HTMLElement
      copy.style.cssText =
        'position:absolute;visibility:hidden;flex:none;width:max-content;min-width:0;max-width:none;overflow:visible'
      e.parentElement!.appendChild(copy)
      const whole = width(copy)
      copy.remove()
      return whole
    }
    const cut = (e: HTMLElement) => natural(e) > width(e) + 0.01
    const problems: string[] = []
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`)
    const header = [...el.querySelectorAll('.grid-head [role="columnheader"]')].find((h) =>
      h.textContent?.includes('In use')
    )
    if (!header) problems.push('no In use header')
    else if (outside(header.getBoundingClientRect())) problems.push('In use header outside the visible grid')
    for (const row of el.querySelectorAll<HTMLElement>('.grid-body [role="row"]')) {
      const reference = row.dataset.reference ?? '?'
      const inUse = row.querySelector('.cell-inUse')
      if (!inUse) {
        problems.push(`${reference}: no In use cell`)
        continue
      }
      if (outside(inUse.getBoundingClientRect())) problems.push(`${reference}: In use cell outside the visible grid`)
      for (const part of inUse.querySelectorAll<HTMLElement>('.badge, .in-use-names'))
        if (cut(part)) problems.push(`${reference}: In use text cut (“${part.textContent}”)`)
      // A reference is cut only for want of room, and the dimmed registry gives way before the name.
      const cell = row.querySelector<HTMLElement>('.cell-reference')
      if (!cell) continue
      const registry = cell.querySelector<HTMLElement>('.reference-registry')
      const repository = cell.querySelector<HTMLElement>('.reference-repository')
      const pills = [...cell.querySelectorAll<HTMLElement>('.tag-pill')]
      const parts = [registry, repository, ...pills].filter((p): p is HTMLElement => p !== null)
      const gaps = pills.length * 7
      const room = cell.clientWidth - 20 - gaps - parts.reduce((sum, p) => sum + width(p), 0)
      const cutParts = parts.filter(cut)
      if (cutParts.length > 0 && room > 1)
        problems.push(
          `${reference}: “${cutParts.map((p) => p.textContent).join('')}” cut with ${room.toFixed(1)} px to spare`
        )
      if (
        repository &&
        cut(repository) &&
        registry &&
        width(registry) > parseFloat(getComputedStyle(registry).minWidth) + 1
      )
        problems.push(`${reference}: “${repository.textContent}” cut before its registry gave way`)
    }
    return problems
  })
}

for (const { width, height, pane } of [
  { width: 800, height: 600, pane: false },
  { width: 1024, height: 640, pane: false },
  { width: 1024, height: 640, pane: true },
  { width: 1280, height: 800, pane: true }
]) {
  test(`at ${width}×${height}${pane ? ' with the detail pane open' : ''} the In use column and references can be read`, async ({
    app
  }) => {
    await app.setViewportSize({ width, height })
    await expect(grid(app).locator('.grid-body [role="row"]').first()).toBeVisible()
    if (pane) {
      await (await showRow(app, 'docker.io/library/postgres:16')).click()
      await expect(detailPane(app)).toHaveAttribute('data-reference', 'docker.io/library/postgres:16')
    }
    await app.screenshot({ path: test.info().outputPath(`table-${width}x${height}${pane ? '-pane' : ''}.png`) })
    expect(await unreadable(app), 'at the top of the table').toEqual([])
    // Every held reference's row, each scrolled into the rendered rows in turn.
    for (const reference of HELD) {
      await expect(await showRow(app, reference)).toHaveCount(1)
      expect(await unreadable(app), `with ${reference} in view`).toEqual([])
    }
  })
}
