// The desktop app's lifecycle, as a user meets it: closing the window or quitting from the menu ends
// the process with both database connections closed (and never leaves a windowless process behind,
// electron/electron#33643), and starting the app again while it runs brings the running window
// forward instead of opening a second one.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchDesktopApp } from '../../test-support/electron-standin/launch'
import { desktop, exitWithin } from '../support/desktop'
import { expect, test } from '../support/test'

test('closing the window quits the app and closes both database connections', async ({ app, explorer }) => {
  const standIn = desktop(explorer)
  // The first screen asks for disk usage, which the worker answers: both connections are open now.
  await expect(app.getByRole('grid', { name: 'Cached images' })).toBeVisible()
  await expect
    .poll(async () => (await standIn.app.command<string[]>('openDatabaseFiles')).length, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(2)
  await standIn.app.command('closeWindow')
  expect(await exitWithin(standIn, 15_000)).toBe(0)
  const report = standIn.app.exitReport()
  expect(report, 'the stand-in wrote its exit report').not.toBeNull()
  expect(report!.openDatabaseFiles).toEqual([])
  expect(report!.events.filter((e) => e.kind === 'will-quit' || e.kind === 'quit-ignored')).toEqual([
    { kind: 'will-quit', prevented: true }
  ])
})

test.describe('before anything started the worker', () => {
  test.use({ scenario: null })

  test('quitting from the menu ends the process at once (a quit Electron would ignore)', async ({ app, explorer }) => {
    const standIn = desktop(explorer)
    await expect(app.getByTestId('empty-state')).toBeVisible()
    // File > Quit (Ctrl+Q): the menu's quit role.
    await standIn.app.command('clickMenu', ['File', 'quit'])
    expect(await exitWithin(standIn, 15_000)).toBe(0)
    expect(standIn.app.exitReport()!.openDatabaseFiles).toEqual([])
  })
})

test('a second instance hands over to the first, which brings its window forward', async ({ app, explorer }) => {
  const standIn = desktop(explorer)
  await expect(app.getByRole('grid', { name: 'Cached images' })).toBeVisible()
  const focusesBefore = (await standIn.app.events()).filter((e) => e.kind === 'window-focus').length
  const elsewhere = mkdtempSync(join(tmpdir(), 'ice-second-instance-'))
  try {
    const second = launchDesktopApp({
      userData: standIn.userData,
      home: standIn.home,
      exitReport: join(elsewhere, 'exit.json')
    })
    expect(await Promise.race([second.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))])).toBe(
      0
    )
    expect(await second.connect(), 'the second instance never started a browser').toBeNull()
  } finally {
    rmSync(elsewhere, { recursive: true, force: true })
  }
  await expect.poll(async () => (await standIn.app.events()).filter((e) => e.kind === 'second-instance').length).toBe(1)
  const events = await standIn.app.events()
  expect(events.filter((e) => e.kind === 'window-focus').length).toBeGreaterThan(focusesBefore)
  expect(await standIn.app.command<unknown[]>('windows')).toHaveLength(1)
  await expect(app.getByRole('grid', { name: 'Cached images' })).toBeVisible()
})
