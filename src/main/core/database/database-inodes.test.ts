// Which files the explorer never opens with fs: the SQLite database files it holds, under any name. An
// inode freed since it was noted (a -wal deleted at its last close, a removed home) and taken over by a
// new file, such as a layer msb wrote later, is that new file and is read like any other.
import { linkSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, expect, it } from 'vitest'
import { isDatabaseFile, noteDatabaseFiles } from './database-inodes'

const dir = mkdtempSync(join(tmpdir(), 'ice-db-inodes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('a hard link to a noted file is one while the file is at its path; once freed and taken over, it is not', () => {
  const noted = join(dir, 'gone.db')
  writeFileSync(noted, '')
  noteDatabaseFiles(noted)
  const layer = join(dir, 'layer.erofs')
  linkSync(noted, layer)
  expect(isDatabaseFile(layer)).toBe(true)
  // The noted name goes and nothing holds the file open: the inode now belongs to the layer alone.
  unlinkSync(noted)
  expect(isDatabaseFile(layer)).toBe(false)
})

it('a database SQLite holds open stays one after it left its path; closed, it does not', () => {
  const path = join(dir, 'held.db')
  const db = new Database(path)
  db.exec('CREATE TABLE t (x)')
  noteDatabaseFiles(path)
  const layer = join(dir, 'held-link.erofs')
  linkSync(path, layer)
  renameSync(path, join(dir, 'moved.db'))
  try {
    expect(isDatabaseFile(layer)).toBe(true)
  } finally {
    db.close()
  }
  expect(isDatabaseFile(layer)).toBe(false)
})
