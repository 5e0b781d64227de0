// Nothing in the product opens a SQLite database file (msb.db, its -wal, -shm or -journal, the removal's
// `.owner` lock) with `fs` (issue 26: one close of any descriptor drops all of SQLite's POSIX locks of the
// process). The runtime guard (test-support/guards/database-open-guard.ts) catches what the tests run;
// this reads the sources, so a call no test reaches is caught too.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(__dirname, '..', '..', '..')
/** `fs` functions that open a file by path. */
const OPENER =
  /\b(openSync|readFileSync|writeFileSync|appendFileSync|createReadStream|createWriteStream|copyFileSync|cpSync|truncateSync|readFile|writeFile|appendFile|copyFile|truncate|open)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g
/** What names a database file in an argument. */
const DATABASE_ARG = /dbPath|msb\.db|-wal|-shm|-journal|\.owner|ownerLockPath|lock\.path/

function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'renderer' ? [] : productFiles(path)
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [path] : []
  })
}

function databaseOpensIn(text: string): string[] {
  return [...text.matchAll(OPENER)].filter((m) => DATABASE_ARG.test(m[2])).map((m) => m[0])
}

describe('no fs open of a database file in the product', () => {
  it('finds such a call when there is one', () => {
    expect(databaseOpensIn("const fd = openSync(dbPath, 'r')")).toHaveLength(1)
    expect(databaseOpensIn('readFileSync(`${location.dbPath}-wal`)')).toHaveLength(1)
    expect(databaseOpensIn("readFileSync(join(home, 'db', 'msb.db'))")).toHaveLength(1)
    expect(databaseOpensIn("statSync(dbPath); readFileSync(file, 'utf8')")).toEqual([])
  })

  it('the sources have none', () => {
    const found = productFiles(SRC).flatMap((file) =>
      databaseOpensIn(readFileSync(file, 'utf8')).map((call) => `${relative(SRC, file)}: ${call}`)
    )
    expect(found).toEqual([])
  })
})
