// Right before a removal's files are unlinked every claim is asked again: this home's rows and the image records no
// reference of it owns. A round of the helpers reads the claims once, after its stamps (asOfNow): it must answer
// exactly as the question asked file by file does, as of that read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { openWriteConnection } from '../database/database'
import { contentPath } from '../homes/cache-paths'
import { layerFileName } from '../homes/file-names'
import { LiveClaims } from './live-claims'

let root: string
let home: string
let db: Database.Database

const hex = (c: string) => c.repeat(64)
const layerPath = (diffId: string) => contentPath('layers', layerFileName(diffId)!)
/** An image record no reference of the home owns (its name is no reference's key), naming one layer. */
function writeUnownedRecord(name: string, diffId: string): void {
  const record = { manifest_digest: `sha256:${hex('e')}`, layers: [{ diff_id: diffId }] }
  writeFileSync(join(home, 'cache', 'manifests', `${name}.json`), JSON.stringify(record))
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-live-claims-'))
  home = join(root, 'home')
  buildScenario(home, smallScenario())
  db = openWriteConnection(join(home, 'db', 'msb.db'))
})
afterAll(() => {
  db?.close()
  rmSync(root, { recursive: true, force: true })
})

describe('live claims', () => {
  it('a round reads them once: the same answers as file by file, as of that read', () => {
    const owned = layerPath((db.prepare('SELECT diff_id FROM layer LIMIT 1').pluck().get() as string) ?? '')
    const recorded = layerPath(`sha256:${hex('a')}`)
    const later = layerPath(`sha256:${hex('b')}`)
    const free = layerPath(`sha256:${hex('c')}`)
    writeUnownedRecord(hex('1'), `sha256:${hex('a')}`)
    const asked = [owned, recorded, later, free].map((path) => ({ path }))
    const claims = new LiveClaims(db, [], join(home, 'cache'), asked)
    try {
      const round = claims.asOfNow()
      const reads = { ...claims.reads }
      const answers = (claimed: (path: string) => boolean) => asked.map(({ path }) => claimed(path))
      expect(answers(round)).toEqual([true, true, false, false])
      // Asked for every file of the round, it read nothing again.
      expect(claims.reads).toEqual(reads)
      expect(answers((path) => claims.claimed(path))).toEqual(answers(round))
      // A record written after the round's read: the next round and the next question see it.
      writeUnownedRecord(hex('2'), `sha256:${hex('b')}`)
      expect(round(later)).toBe(false)
      expect(claims.asOfNow()(later)).toBe(true)
      expect(claims.claimed(later)).toBe(true)
    } finally {
      claims.close()
    }
  })
})
