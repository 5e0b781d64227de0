// A row's checkbox stays that image's while the list scrolls. The rows are virtualised and their DOM is
// re-used; when a row still in view was handed another image's DOM, the focus a click left on a
// checkbox moved to another image, so Space (or a click landing mid-scroll) ticked the wrong one.
import { expect, grid, test } from './support/test'

test('the checkbox a click focused stays on its image while the list scrolls a little', async ({ app }) => {
  const scroller = grid(app)
  // To the end of the list: there the rendered rows are not a full window, and their count changes as
  // rows peek in and out at the top edge.
  await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight))
  const rowCount = Number(await scroller.getAttribute('aria-rowcount'))
  const last = app.locator(`.grid-body [role="row"][aria-rowindex="${rowCount}"]`)
  const reference = await last.getAttribute('data-reference')
  expect(reference).toBeTruthy()
  const box = last.getByRole('checkbox')
  await box.check()
  const focusedLabel = () => app.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null)
  expect(await focusedLabel()).toBe(`Select ${reference}`)

  // Up by a few pixels at a time, about two rows in all: the row stays in view throughout.
  for (let step = 0; step < 12; step++) {
    await scroller.evaluate(
      (el) =>
        new Promise<void>((done) => {
          el.scrollTop -= 7
          // Two frames: the virtualiser renders on the scroll event's frame.
          requestAnimationFrame(() => requestAnimationFrame(() => done()))
        })
    )
    expect(await focusedLabel(), `after scrolling up ${7 * (step + 1)} px`).toBe(`Select ${reference}`)
  }
  await expect(app.getByRole('checkbox', { name: `Select ${reference}`, exact: true })).toBeChecked()

  // Space on the focused box unticks the image the user ticked, and ticks no other.
  await app.keyboard.press('Space')
  await expect(app.getByRole('checkbox', { name: `Select ${reference}`, exact: true })).not.toBeChecked()
  await expect(app.getByText(/\d+ selected/)).toHaveCount(0)
})
