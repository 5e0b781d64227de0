// The whole msb home in the Disk usage tab (every area its own kind, with the msb command that frees it),
// and the prune dialog's flat rootfs choice: off by default, its own bytes, and after confirming, the bytes
// it showed are the bytes it freed. Flat artifacts are written as msb writes them (flat-fixture.ts).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFlatArtifact } from '../test-support/core/flat-fixture'
import { runCli } from '../test-support/fixtures/cli-capture'
import { detailPane, expect, showRow, test } from './support/test'

const MiB = 1024 * 1024

function sql(home: string, query: string): string[] {
  return execFileSync('sqlite3', ['-readonly', join(home, 'db', 'msb.db'), query], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean)
}

function dress(home: string) {
  const cacheDir = join(home, 'cache')
  const root = join(home, '..', 'flat-root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  writeFileSync(join(root, 'etc', 'os-release'), 'ID=fixture\n')
  // An image with one reference that nothing pins: removing it leaves its flat artifact unused.
  const [reference, digest] = sql(
    home,
    `SELECT r.reference || '|' || m.digest FROM image_ref r JOIN manifest m ON m.id = r.manifest_id
     WHERE (SELECT COUNT(*) FROM image_ref o WHERE o.manifest_id = m.id) = 1
       AND m.id NOT IN (SELECT manifest_id FROM sandbox_rootfs)
       AND m.digest NOT IN (SELECT image_manifest_digest FROM snapshot_index WHERE image_manifest_digest IS NOT NULL)
     ORDER BY r.reference LIMIT 1`
  )[0].split('|')
  const diffIds = sql(
    home,
    `SELECT l.diff_id FROM manifest_layer ml JOIN layer l ON l.id = ml.layer_id JOIN manifest m ON m.id = ml.manifest_id WHERE m.digest = '${digest}' ORDER BY ml.position`
  )
  const used = writeFlatArtifact(cacheDir, { manifestDigest: digest, diffIds, rootDir: root, sizeBytes: 16 * MiB })
  const orphan = writeFlatArtifact(cacheDir, {
    manifestDigest: digest,
    diffIds,
    rootDir: root,
    sizeBytes: 16 * MiB,
    uuidSeed: 'replaced',
    blobOnly: true
  })
  const stale = writeFlatArtifact(cacheDir, {
    manifestDigest: `sha256:${'d'.repeat(64)}`,
    diffIds: [],
    rootDir: root,
    sizeBytes: 12 * MiB
  })
  const put = (path: string, bytes: number) => {
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, Buffer.alloc(bytes, 1))
  }
  put(join(home, 'sandboxes', 'web-1', 'rootfs.raw'), 3 * MiB)
  put(join(home, 'volumes', 'pgdata', 'base'), 2 * MiB)
  put(join(home, 'logs', 'web-1.log'), 200_000)
  put(join(home, 'docker-disks', 'disk.img'), MiB)
  return { used, orphan, stale, cacheDir, reference }
}

test('the whole home as a treemap with a kind per area; the prune dialog reclaims unused flat artifacts as shown', async ({
  app,
  explorer
}) => {
  test.setTimeout(60_000)
  const { used, orphan, stale, cacheDir, reference } = dress(explorer.home)
  await app.setViewportSize({ width: 1280, height: 800 })
  await app.getByRole('tab', { name: 'Disk usage' }).click()
  const map = app.getByTestId('treemap')
  // The window refreshes on its own: the home's folders are part of its revision.
  await expect(map.locator('.tm-cell[data-kind="flat"]')).toBeVisible({ timeout: 10_000 })
  const kinds = new Set(await map.locator('.tm-cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))
  for (const kind of ['registry', 'shared', 'flat', 'area-group', 'logs', 'database', 'home-other']) {
    expect(kinds, kind).toContain(kind)
  }
  const rest = app.locator('#usage-whole-home')
  await expect(rest).toContainText('msb rm web-1')
  await expect(rest).toContainText('msb volume rm pgdata')
  await expect(rest.locator('tr', { hasText: 'docker-disks' })).toContainText('msb frees none of it')
  await expect(app.locator('#usage-flat tr[data-unused="stale-ref"]')).toBeVisible()
  await expect(app.locator('#usage-flat tr[data-unused="orphaned-blob"]')).toBeVisible()
  await app.screenshot({ path: test.info().outputPath('whole-home.png') })

  // The sandboxes group zooms to each sandbox; its tile says which msb command frees it.
  await map.locator('.tm-cell[data-kind="area-group"]', { hasText: 'Sandboxes' }).click()
  await expect(map.locator('.tm-cell[data-kind="sandbox"]')).toHaveAttribute('title', /freed by msb rm web-1/)
  await app.getByRole('navigation', { name: 'Treemap level' }).getByRole('button', { name: 'Home' }).click()

  // Prune, dangling only, with the flat choice: off by default, then on with its own bytes.
  await app.getByRole('button', { name: 'Prune…', exact: true }).click()
  const dialog = app.getByTestId('prune-dialog')
  await dialog.getByRole('radio', { name: /Dangling data only/ }).check()
  const choice = dialog.getByTestId('prune-flat')
  await expect(choice).not.toBeChecked()
  const shown = Number(await dialog.getByTestId('prune-flat-bytes').getAttribute('data-bytes'))
  expect(shown).toBeGreaterThan(0)
  await choice.check()
  await dialog.getByRole('button', { name: /^Prune · free/ }).click()
  const report = dialog.getByTestId('prune-flat-report')
  await expect(report).toBeVisible()
  await expect(report.locator('[data-bytes]')).toHaveAttribute('data-bytes', String(shown))
  await expect(report).toContainText('✓')
  expect(existsSync(join(cacheDir, stale.refPath))).toBe(false)
  expect(existsSync(join(cacheDir, stale.blobPath))).toBe(false)
  expect(existsSync(join(cacheDir, orphan.blobPath))).toBe(false)
  // The image's own artifact and every lock file stay.
  expect(existsSync(join(cacheDir, used.blobPath))).toBe(true)
  for (const a of [used, orphan, stale]) expect(existsSync(join(cacheDir, a.lockPath))).toBe(true)
  await dialog.getByRole('button', { name: 'Done' }).click()

  // Its image's row and detail pane show the artifact; removing the image can take it along (a choice).
  await app.getByRole('tab', { name: 'Images' }).click()
  await (await showRow(app, reference)).click()
  await expect(detailPane(app).getByTestId('detail-flat')).toContainText('on disk')
  await detailPane(app).getByRole('button', { name: 'Remove…' }).click()
  const remove = app.getByRole('dialog', { name: `Remove ${reference}?` })
  const take = remove.getByTestId('remove-flat')
  await expect(take).not.toBeChecked()
  await take.check()
  await remove.getByRole('button', { name: /^Remove · free/ }).click()
  await expect(remove).toHaveCount(0)
  await expect.poll(() => existsSync(join(cacheDir, used.blobPath))).toBe(false)
  expect(existsSync(join(cacheDir, used.refPath))).toBe(false)
  expect(existsSync(join(cacheDir, used.lockPath))).toBe(true)
})

test.describe('after a force remove of the only image, which a sandbox uses', () => {
  test.use({
    scenario: {
      entries: [
        {
          reference: 'localhost/held:1',
          image: { layers: [{ seed: 'held-image', sizeBytes: 64 * 1024, files: 2 }], config: { cmd: ['held'] } }
        }
      ],
      inUse: [{ reference: 'localhost/held:1', sandbox: { name: 'keeper', status: 'Stopped' } }],
      snapshots: []
    }
  })

  test('the Images tab and Disk usage say the data is held by that sandbox, never "empty" or "other"', async ({
    app,
    explorer
  }) => {
    const r = await runCli(['rm', '--force', 'localhost/held:1', '--home', explorer.home])
    expect(r.code).toBe(0)
    const empty = app.getByTestId('empty-state')
    await expect(empty).toBeVisible({ timeout: 10_000 })
    await expect(empty).not.toContainText('is empty')
    await expect(empty.getByTestId('held-line')).toContainText('held by sandbox keeper')
    await expect(empty.getByTestId('held-line')).toContainText('msb rm keeper')
    await app.getByRole('tab', { name: 'Disk usage' }).click()
    await expect(app.getByTestId('treemap').locator('.tm-cell[data-kind="held"]')).toHaveAttribute(
      'title',
      /Held by keeper/
    )
    await expect(app.locator('#usage-whole-home tr[data-kind="held"]')).toContainText('sandbox keeper')
  })
})
