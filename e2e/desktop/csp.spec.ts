// The built page runs under the production Content-Security-Policy (the <meta> tag the build writes
// from src/main/shell/csp.ts), and the stand-in hears every violation the page reports: the
// fixture fails any desktop spec whose page reported one, so the whole suite runs with zero. This
// spec proves that check can fail: a violation made on purpose is heard.
import { contentSecurityPolicy } from '../../src/main/shell/csp'
import { desktop } from '../support/desktop'
import { expect, test } from '../support/test'

test('the page carries the production CSP, and a violation is reported to the app', async ({ explorer }) => {
  const standIn = desktop(explorer)
  const page = standIn.window
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
  expect(meta).toBe(contentSecurityPolicy({ delivery: 'meta' }))
  await expect(page.getByRole('grid', { name: 'Cached images' })).toBeVisible()
  expect((await standIn.app.events()).filter((e) => e.kind === 'csp-violation')).toEqual([])

  // An inline script, which the policy forbids: refused, and reported.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script')
    script.textContent = 'globalThis.inlineRan = true'
    document.head.append(script)
    return (globalThis as unknown as { inlineRan?: boolean }).inlineRan === true
  })
  expect(ran).toBe(false)
  await expect
    .poll(async () =>
      (await standIn.app.events())
        .filter((e) => e.kind === 'csp-violation')
        .map((e) => e.kind === 'csp-violation' && e.directive)
    )
    .toEqual(['script-src-elem'])
  // Closed here rather than by the `app` fixture, which would (rightly) fail on the violation.
  await standIn.app.close()
})
