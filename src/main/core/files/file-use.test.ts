// The check a removal makes right before it unlinks: does a row still need this file? A removal of one
// image asks only about its own files (`only`), and reads only their rows and the references that could
// share its metadata file (`sharedBy`); the answers must be those of reading everything.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachePaths, copyHome, tempDir } from '../../../../test-support/core/cache-dump'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { type AskedFile, fileUseOf } from './file-use'
import { metadataKey, parseReference } from '../homes/reference-key'
import { readJournal } from '../writing/removal-journal'

const dirs: string[] = []
let small: string

beforeAll(() => {
  const dir = tempDir('ice-file-use-')
  dirs.push(dir)
  small = join(dir, 'small')
  buildScenario(small, smallScenario())
})

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function withDatabase(work: (db: Database.Database, home: string) => void): void {
  const home = copyHome(small)
  dirs.push(dirname(home))
  const db = new Database(join(home, 'db', 'msb.db'))
  try {
    work(db, home)
  } finally {
    db.close()
  }
}

/** Every content file of the cache, each metadata file with the last name component of the references it belongs to. */
function askedFiles(db: Database.Database, home: string): AskedFile[] {
  const sharers = new Map<string, string[]>()
  for (const reference of db.prepare('SELECT reference FROM image_ref').pluck().all() as string[]) {
    const repository = parseReference(reference)?.repository
    if (!repository) continue
    const record = `manifests/${metadataKey(reference)}.json`
    sharers.set(record, [...(sharers.get(record) ?? []), repository.slice(repository.lastIndexOf('/') + 1)])
  }
  return cachePaths(home)
    .filter((p) => /^(layers|fsmeta|vmdk|manifests)\/[^/]+\.(erofs|vmdk|json)$/.test(p))
    .map((path) => (sharers.has(path) ? { path, sharedBy: sharers.get(path) } : { path }))
}

const busyboxRecord = `manifests/${metadataKey('busybox')}.json`

describe('asking about a few files', () => {
  it('answers as reading every row does, for every file of the cache, before and after rows go', () => {
    withDatabase((db, home) => {
      const asked = askedFiles(db, home)
      expect(asked.length).toBeGreaterThan(20)
      const compare = () => {
        const few = fileUseOf(db, { only: asked })
        const all = fileUseOf(db)
        for (const { path } of asked) expect(few(path), path).toBe(all(path))
      }
      compare()
      db.prepare(`DELETE FROM image_ref WHERE reference IN ('busybox', 'localhost/solo:1')`).run()
      db.prepare(`DELETE FROM manifest WHERE id NOT IN (SELECT manifest_id FROM image_ref)`).run()
      db.prepare(`DELETE FROM layer WHERE id NOT IN (SELECT layer_id FROM manifest_layer)`).run()
      compare()
    })
  })

  it('a metadata file is used while a reference spelt otherwise shares it, and again once msb adds one back', () => {
    withDatabase((db) => {
      const asked = [{ path: busyboxRecord, sharedBy: ['busybox'] }]
      expect(fileUseOf(db, { only: asked })(busyboxRecord)).toBe(true)
      db.prepare(`DELETE FROM image_ref WHERE reference = 'busybox'`).run()
      // `docker.io/library/busybox:latest` still names the same file.
      expect(fileUseOf(db, { only: asked })(busyboxRecord)).toBe(true)
      const manifestId = db
        .prepare(`SELECT manifest_id FROM image_ref WHERE reference = 'docker.io/library/busybox:latest'`)
        .pluck()
        .get()
      db.prepare(`DELETE FROM image_ref WHERE reference = 'docker.io/library/busybox:latest'`).run()
      expect(fileUseOf(db, { only: asked })(busyboxRecord)).toBe(false)
      // A concurrent msb records the image again under the short name.
      db.prepare(`INSERT INTO image_ref (reference, manifest_id) VALUES ('busybox', ?)`).run(manifestId)
      expect(fileUseOf(db, { only: asked })(busyboxRecord)).toBe(true)
    })
  })

  it('a file nobody said would be asked about counts as used', () => {
    withDatabase((db) => {
      db.prepare(`DELETE FROM image_ref WHERE reference IN ('busybox', 'docker.io/library/busybox:latest')`).run()
      expect(fileUseOf(db)(busyboxRecord)).toBe(false)
      expect(fileUseOf(db, { only: [{ path: 'layers/other.erofs' }] })(busyboxRecord)).toBe(true)
    })
  })

  it("a journal's hint that is not a list of names is dropped, so the check reads every reference", () => {
    const dir = tempDir('ice-journal-hint-')
    dirs.push(dir)
    mkdirSync(join(dir, 'j'))
    const file = { kind: 'metadata', path: busyboxRecord, locks: [] }
    writeFileSync(
      join(dir, 'j', 'journal.json'),
      JSON.stringify({
        version: 2,
        homes: [],
        files: [
          { ...file, sharedBy: 'busybox' },
          { ...file, sharedBy: ['busybox', ''] },
          { ...file, sharedBy: ['busybox'] }
        ]
      })
    )
    expect(readJournal(join(dir, 'j'))?.files.map((f) => f.sharedBy)).toEqual([undefined, undefined, ['busybox']])
  })
})
