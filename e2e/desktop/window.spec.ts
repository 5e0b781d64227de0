// The desktop window itself: it opens on $MSB_HOME, the page gets exactly the contract bridge and
// nothing of Electron, only our own top frame may call, and the page can neither leave nor open
// windows. Runs the built app (out/main, out/preload, the file:// page) on the Electron stand-in.
// One app serves every step (starting one is most of a desktop test's time); the steps that only
// read come first, then those that provoke, each on state the others leave as they found it.
import { OPERATIONS } from '../../src/shared/operations'
import { desktop, shownHome } from '../support/desktop'
import { expect, test } from '../support/test'

test('the window: its home, its bridge, its permissions; no navigation, no windows, no foreign frame', async ({
  app,
  explorer
}) => {
  const standIn = desktop(explorer)
  await test.step('it opens on $MSB_HOME and shows its images', async () => {
    await expect(shownHome(app)).toHaveText(standIn.home)
    await expect(app.getByText(`${standIn.built!.references.size} images`, { exact: true })).toBeVisible()
    expect(app.url()).toMatch(/^file:\/\/\/.*\/out\/renderer\/index\.html$/)
    const windows = await standIn.app.command<Array<{ title: string; visible: boolean }>>('windows')
    expect(windows).toEqual([expect.objectContaining({ title: 'Image Cache Explorer', visible: true })])
    // Every call the page made went over IPC from the top frame of our page.
    const calls = (await standIn.app.events()).filter((e) => e.kind === 'ipc')
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls)
      expect(call).toMatchObject({ channel: expect.stringMatching(/^cache:/), frameUrl: app.url() })
  })

  await test.step('the page gets exactly the contract bridge, frozen, and nothing of Electron or Node', async () => {
    const surface = await app.evaluate(() => {
      const page = globalThis as unknown as Record<string, unknown> & { cacheApi: Record<string, unknown> }
      const descriptor = Object.getOwnPropertyDescriptor(page, 'cacheApi')
      return {
        keys: Object.keys(page.cacheApi).sort(),
        functions: Object.values(page.cacheApi).every((f) => typeof f === 'function'),
        frozen: Object.isFrozen(page.cacheApi),
        writable: descriptor?.writable,
        require: typeof page.require,
        process: typeof page.process,
        ipcRenderer: typeof page.ipcRenderer,
        electron: Object.keys(page).filter((k) => /ipc|electron|standin/i.test(k))
      }
    })
    expect(surface).toEqual({
      keys: [...OPERATIONS].sort(),
      functions: true,
      frozen: true,
      writable: false,
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      electron: []
    })
    // A call answers the contract's wire shape, as the renderer's client expects.
    const status = await app.evaluate(() =>
      (globalThis as unknown as { cacheApi: { status(a: object): Promise<unknown> } }).cacheApi.status({})
    )
    expect(status).toMatchObject({ ok: true, result: { imageCount: expect.any(Number) } })
    // Arguments are validated in main, not trusted from the page.
    const refused = await app.evaluate(() =>
      (globalThis as unknown as { cacheApi: { get(a: unknown): Promise<unknown> } }).cacheApi.get({ reference: 42 })
    )
    expect(refused).toMatchObject({ ok: false, error: { code: 'InvalidArgument' } })
  })

  await test.step('permissions: only clipboard writing, and only for our page', async () => {
    const decisionsNow = async () =>
      (await standIn.app.events()).filter((e) => e.kind === 'permission' && e.url === app.url())
    // Chromium asks as the page settles, which on a loaded machine can be after the grid shows.
    await expect.poll(async () => (await decisionsNow()).length, { timeout: 15_000 }).toBeGreaterThan(3)
    const granted = (await decisionsNow())
      .filter((e) => e.kind === 'permission' && e.granted)
      .map((e) => e.kind === 'permission' && e.permission)
    expect([...new Set(granted)]).toEqual(['clipboard-sanitized-write'])
  })

  await test.step('the page can neither navigate away nor open windows; vetted links open in the browser', async () => {
    const before = app.url()
    await app.evaluate(() => {
      window.open('https://evil.example/')
      window.open('https://github.com/superradcompany/microsandbox')
    })
    await app.evaluate(() => (location.href = 'https://evil.example/phish'))
    // The stand-in reports each decision as it makes it; under load the window-open ones can come last.
    await expect
      .poll(async () => {
        const kinds = (await standIn.app.events()).map((e) => e.kind)
        const count = (kind: string) => kinds.filter((k) => k === kind).length
        return [count('navigation') > 0, count('window-open') >= 2, count('open-external') > 0]
      })
      .toEqual([true, true, true])
    await app.waitForTimeout(300)
    expect(app.url()).toBe(before)
    await expect(app.getByRole('grid', { name: 'Cached images' })).toBeVisible()
    const events = await standIn.app.events()
    expect(events.filter((e) => e.kind === 'navigation')).toEqual([
      { kind: 'navigation', url: 'https://evil.example/phish', allowed: false, mainFrame: true }
    ])
    expect(events.filter((e) => e.kind === 'window-open').map((e) => e.kind === 'window-open' && e.action)).toEqual([
      'deny',
      'deny'
    ])
    expect(events.filter((e) => e.kind === 'open-external')).toEqual([
      { kind: 'open-external', url: 'https://github.com/superradcompany/microsandbox' }
    ])
    expect(await standIn.app.command<unknown[]>('windows')).toHaveLength(1)
    expect(
      standIn.window
        .context()
        .pages()
        .filter((p) => !p.isClosed())
    ).toHaveLength(1)
  })

  await test.step('a frame that is not our top frame is refused, whatever it sends', async () => {
    // A sandboxed srcdoc frame has an opaque (foreign) origin. The stand-in leaves the raw IPC binding
    // in subframes, so this frame plays one that got hold of IPC; main must still refuse it.
    await app.evaluate(() => {
      const frame = document.createElement('iframe')
      frame.setAttribute('sandbox', 'allow-scripts')
      frame.srcdoc = '<p>foreign</p>'
      document.body.append(frame)
    })
    const foreign = await expect
      .poll(() => app.frames().find((f) => f.url() === 'about:srcdoc'), { timeout: 5_000 })
      .toBeTruthy()
      .then(() => app.frames().find((f) => f.url() === 'about:srcdoc')!)
    // The stand-in installs its binding in a new frame a moment after the frame appears.
    await expect
      .poll(() => foreign.evaluate(() => Object.keys(globalThis).some((k) => k.startsWith('__standInIpc_'))), {
        timeout: 5_000
      })
      .toBe(true)
    const reply = await foreign.evaluate(async () => {
      const name = Object.keys(globalThis).find((k) => k.startsWith('__standInIpc_'))
      if (!name) return 'no binding'
      const binding = (globalThis as unknown as Record<string, (m: unknown) => Promise<unknown>>)[name]
      return JSON.parse((await binding({ kind: 'invoke', channel: 'cache:list', args: [{}] })) as string) as unknown
    })
    expect(reply).toEqual({
      ok: true,
      value: { ok: false, error: { code: 'Forbidden', message: 'this frame may not call the cache API' } }
    })
    // Our own top frame still gets answers.
    const own = await app.evaluate(() =>
      (globalThis as unknown as { cacheApi: { list(a: object): Promise<{ ok: boolean }> } }).cacheApi.list({})
    )
    expect(own.ok).toBe(true)
  })
})
