// msb's deletion journals (cleanup_journal.rs @05a0c70d), written in its exact format on a real msb
// 0.7.2 home carrying 0.7.3+'s migrations: a crashed one is recovered with msb's outcome, anything
// msb would not touch is left intact, an active one (its lock held by another process) is untouched,
// and its bytes count once as "being deleted by msb", never as strays.
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, copyFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { holdFlock, writeMsbJournal } from '../../../../test-support/core/journal-homes'
import { migrateTo078 } from '../../../../test-support/core/msb078-home'
import { isMsbAvailable, runMsb } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { CacheFiles } from './cache-files'
import { readCacheState } from '../database/cache-state'
import { layerFileName, manifestFileNames, metadataName } from '../homes/file-names'
import { leaseFileOf } from '../locks/storage-lease'
import { readMsbJournals, recoverMsbJournals } from './msb-deletion-journals'
import { strayFiles } from './stray-files'

let root: string
let template: string
let n = 0

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-msb-journals-'))
  template = join(root, 'template')
  for (const name of ['one', 'two']) {
    const archive = join(root, `${name}.tar`)
    writeOciArchive(archive, [{ layers: [{ seed: `journal-${name}`, sizeBytes: 16384 }], config: { cmd: ['sh'] } }])
    runMsb(template, ['load', '-q', '-i', archive, '-t', `localhost/${name}:1`], { msb: '0.7.2' })
  }
}, 120_000)
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

/** A fresh "0.7.8 home" (a copy of the 0.7.2 template plus the two newer migrations). */
function home078(): { home: string; cache: string; db: () => Database.Database } {
  const home = join(root, `h${n++}`)
  cpSync(template, home, { recursive: true })
  migrateTo078(home)
  return { home, cache: join(home, 'cache'), db: () => new Database(join(home, 'db', 'msb.db')) }
}

/** The four files of an image, cache-relative: its record, fsmeta, vmdk and layer. */
function filesOf(db: Database.Database, reference: string): string[] {
  const row = db
    .prepare(
      `SELECT m.digest, l.diff_id FROM image_ref r JOIN manifest m ON m.id = r.manifest_id
       JOIN manifest_layer ml ON ml.manifest_id = m.id JOIN layer l ON l.id = ml.layer_id WHERE r.reference = ?`
    )
    .get(reference) as { digest: string; diff_id: string }
  const names = manifestFileNames(row.digest)!
  return [
    `manifests/${metadataName(reference)}`,
    `fsmeta/${names.fsmeta}`,
    `vmdk/${names.vmdk}`,
    `layers/${layerFileName(row.diff_id)}`
  ]
}

/** What msb's transaction commits for `reference` (its rows go); the files stay for the journal. */
function deleteRows(db: Database.Database, reference: string): void {
  const manifestId = db.prepare('SELECT manifest_id FROM image_ref WHERE reference = ?').pluck().get(reference)
  const layers = db.prepare('SELECT layer_id FROM manifest_layer WHERE manifest_id = ?').pluck().all(manifestId)
  db.prepare('DELETE FROM image_ref WHERE reference = ?').run(reference)
  db.prepare('DELETE FROM manifest WHERE id = ?').run(manifestId)
  for (const id of layers) db.prepare('DELETE FROM layer WHERE id = ?').run(id)
}

const exists = (cache: string, relative: string) => existsSync(join(cache, relative))
const journalEntries = (cache: string) => readdirSync(join(cache, '.image-deletions')).sort()

describe.skipIf(!isMsbAvailable('0.7.2'))('msb deletion journals on a 0.7.8 home', () => {
  it('a crashed delete-* journal is finished as msb finishes it: unowned files unlinked, owned ones kept', () => {
    const { cache, db } = home078()
    const conn = db()
    const one = filesOf(conn, 'localhost/one:1')
    const two = filesOf(conn, 'localhost/two:1')
    // Died after its commit: one's rows are gone; it also names two's layer, which a row still owns.
    const dir = writeMsbJournal(cache, { files: [...one, two[3]] })
    deleteRows(conn, 'localhost/one:1')
    const result = recoverMsbJournals(cache, conn)
    conn.close()
    expect(one.filter((f) => exists(cache, f))).toEqual([])
    expect(result.removed.map((r) => r.path).sort()).toEqual([...one].sort())
    expect(result.ownedAgain).toEqual([two[3]])
    expect(two.every((f) => exists(cache, f))).toBe(true)
    expect(existsSync(dir)).toBe(false)
    // msb never deletes its coordination lock.
    expect(journalEntries(cache)).toEqual(['coordination.lock'])
  })

  it('a name that now holds a new inode is kept: only the linked generation would have gone', () => {
    const { cache, db } = home078()
    const conn = db()
    const one = filesOf(conn, 'localhost/one:1')
    writeMsbJournal(cache, { files: one })
    deleteRows(conn, 'localhost/one:1')
    // A later publication put a new file at the layer's name.
    const layer = join(cache, one[3])
    copyFileSync(layer, `${layer}.new`)
    renameSync(`${layer}.new`, layer)
    const result = recoverMsbJournals(cache, conn)
    conn.close()
    expect(exists(cache, one[3])).toBe(true)
    expect(result.removed.map((r) => r.path).sort()).toEqual(one.slice(0, 3).sort())
    expect(journalEntries(cache)).toEqual(['coordination.lock'])
  })

  it('.prepare-*, a delete-* without files.json and one without active.lock are discarded; their files stay', () => {
    const { cache, db } = home078()
    const conn = db()
    const one = filesOf(conn, 'localhost/one:1')
    writeMsbJournal(cache, { files: one, preparing: true })
    writeMsbJournal(cache, { files: one, record: false })
    writeMsbJournal(cache, { files: one, activeLock: false })
    const before = lstatSync(join(cache, one[3])).nlink
    expect(before).toBe(4)
    const result = recoverMsbJournals(cache, conn)
    conn.close()
    expect(result.finished).toHaveLength(3)
    expect(result.removed).toEqual([])
    expect(one.every((f) => exists(cache, f))).toBe(true)
    expect(lstatSync(join(cache, one[3])).nlink).toBe(1)
    expect(journalEntries(cache)).toEqual(['coordination.lock'])
  })

  it('an active journal (its lock held by another process) is untouched; after its holder exits it is recovered', async () => {
    const { cache, db } = home078()
    const conn = db()
    const one = filesOf(conn, 'localhost/one:1')
    const dir = writeMsbJournal(cache, { files: one })
    deleteRows(conn, 'localhost/one:1')
    const holder = await holdFlock([join(dir, 'active.lock')], 'exclusive')
    try {
      expect(readMsbJournals(cache).journals.map((j) => j.state)).toEqual(['active'])
      const result = recoverMsbJournals(cache, conn)
      expect(result.left.map((l) => l.why)).toEqual(['a running msb is deleting it'])
      expect(readdirSync(dir).sort()).toEqual(['0', '1', '2', '3', 'active.lock', 'files.json'])
      expect(one.every((f) => exists(cache, f))).toBe(true)
    } finally {
      await holder.release()
    }
    recoverMsbJournals(cache, conn)
    conn.close()
    expect(one.filter((f) => exists(cache, f))).toEqual([])
    expect(existsSync(dir)).toBe(false)
  })

  it('a file whose lease a running msb holds keeps its link and the journal; the rest go', async () => {
    const { cache, db } = home078()
    const conn = db()
    const one = filesOf(conn, 'localhost/one:1')
    const dir = writeMsbJournal(cache, { files: one })
    deleteRows(conn, 'localhost/one:1')
    const holder = await holdFlock([leaseFileOf(join(cache, one[3]))], 'shared')
    try {
      recoverMsbJournals(cache, conn)
      expect(exists(cache, one[3])).toBe(true)
      expect(one.slice(0, 3).filter((f) => exists(cache, f))).toEqual([])
      expect(readdirSync(dir).sort()).toEqual(['3', 'active.lock', 'files.json'])
    } finally {
      await holder.release()
    }
    recoverMsbJournals(cache, conn)
    conn.close()
    expect(exists(cache, one[3])).toBe(false)
    expect(existsSync(dir)).toBe(false)
  })

  it('linked bytes count once as "being deleted by msb", and journaled files are never strays', () => {
    const { cache, db } = home078()
    const conn = db()
    const one = filesOf(conn, 'localhost/one:1')
    writeMsbJournal(cache, { files: one })
    writeMsbJournal(cache, { files: one, preparing: true })
    deleteRows(conn, 'localhost/one:1')
    const linked = one.reduce((sum, f) => sum + lstatSync(join(cache, f)).size, 0)
    const twoLayer = lstatSync(join(cache, filesOf(conn, 'localhost/two:1')[3])).size
    const state = readCacheState(conn)
    conn.close()
    const files = new CacheFiles(cache)
    const totals = files.totals()
    expect(totals.find((t) => t.kind === 'deleting')).toEqual({ kind: 'deleting', files: 4, bytes: linked })
    // Counted there, not again as layers or metadata.
    const layerBytes = totals.find((t) => t.kind === 'layer')!.bytes
    expect(layerBytes).toBe(twoLayer)
    expect(strayFiles(state, files, Date.now(), 0)).toEqual([])
  })

  it('every explorer write recovers a crashed journal first (ice rm on a 0.7.2 home)', async () => {
    const home = join(root, `h${n++}`)
    cpSync(template, home, { recursive: true })
    const cache = join(home, 'cache')
    const conn = new Database(join(home, 'db', 'msb.db'))
    const one = filesOf(conn, 'localhost/one:1')
    writeMsbJournal(cache, { files: one })
    deleteRows(conn, 'localhost/one:1')
    conn.close()
    const df = await runCli(['df', '--json', '--home', home])
    expect(JSON.parse(df.stdout).totals.find((t: { kind: string }) => t.kind === 'deleting').files).toBe(4)
    expect((await runCli(['df', '--home', home])).stdout).toMatch(/Being deleted by msb: +\S+ \S+ \(4 files/)
    // A journal whose msb still runs is left, and the removal says so.
    const live = writeMsbJournal(cache, { files: [] })
    const holder = await holdFlock([join(live, 'active.lock')], 'exclusive')
    const rm = await runCli(['rm', 'localhost/two:1', '--home', home]).finally(() => holder.release())
    expect(rm.code).toBe(0)
    expect(rm.stdout).toContain(`msb deletion journal ${basename(live)} left as it is: a running msb is deleting it`)
    expect(existsSync(live)).toBe(true)
    expect(one.filter((f) => exists(cache, f))).toEqual([])
    expect(journalEntries(cache)).toEqual(['coordination.lock', basename(live)].sort())
  })
})
