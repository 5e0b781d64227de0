// "Open microsandbox home…" (File menu): the window switches to the chosen cache, the app's old
// connections close, and the choice is remembered for the next start.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildScenario } from '../../test-support/fixtures/scenarios'
import { desktop, shownHome } from '../support/desktop'
import { expect, row, test } from '../support/test'

test('"Open microsandbox home…" switches the window to another cache and remembers it', async ({ app, explorer }) => {
  const standIn = desktop(explorer)
  await expect(shownHome(app)).toHaveText(standIn.home)
  const other = mkdtempSync(join(tmpdir(), 'ice-desktop-other-home-'))
  try {
    buildScenario(other, {
      entries: [
        { reference: 'other/home-app:1', image: { layers: [{ seed: 'other-home-1', sizeBytes: 2048 }] } },
        { reference: 'other/home-tool:2', image: { layers: [{ seed: 'other-home-2', sizeBytes: 4096 }] } }
      ],
      inUse: [],
      snapshots: []
    })
    await standIn.app.command('queueDialog', {
      method: 'showOpenDialog',
      answer: { canceled: false, filePaths: [other] }
    })
    await standIn.app.command('clickMenu', ['File', 'Open microsandbox home…'])
    await expect(shownHome(app)).toHaveText(other)
    await expect(app.getByText('2 images', { exact: true })).toBeVisible()
    await expect(row(app, 'other/home-app:1')).toBeVisible()
    expect((await explorer.status()).home).toBe(other)
    expect(JSON.parse(readFileSync(join(standIn.userData, 'settings.json'), 'utf8'))).toEqual({ home: other })
    // The old home's connections are closed; whatever is open now is the new home's.
    await expect
      .poll(async () => (await standIn.app.command<string[]>('openDatabaseFiles')).filter((f) => !f.startsWith(other)))
      .toEqual([])
  } finally {
    await standIn.app.close()
    rmSync(other, { recursive: true, force: true })
  }
})
