// msb's lock files are listed without an lstat only in msb's folders of lock files (a content folder and its
// lease folder, which holds one never-deleted file per entry ever leased): anywhere else in the home a `*.lock`
// is a user's file, like a sandbox's `yarn.lock`, and its bytes count.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileTree, fileEntriesOf, listDirectory, newScan, walk } from './home-scan'

let root: string
let leases: string

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-home-scan-'))
  leases = join(root, 'fsmeta', '.msb-leases')
  mkdirSync(leases, { recursive: true })
  writeFileSync(join(root, 'fsmeta', 'sha256_ab.erofs'), 'seven b')
  // Written to, which msb never does: only a listing that lstat-s it sees these bytes.
  writeFileSync(join(leases, 'e3b0.lock'), 'bytes')
  writeFileSync(join(leases, 'f00d.lock'), '')
  mkdirSync(join(leases, 'odd.lock'))
  writeFileSync(join(leases, 'odd.lock', 'inside'), 'four')
  symlinkSync(join(root, 'fsmeta', 'sha256_ab.erofs'), join(leases, 'link.lock'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const walked = (lockFolders: Set<string>) => {
  const scan = newScan()
  walk(join(root, 'fsmeta'), scan, new FileTree(null, lockFolders))
  return { files: scan.files, logical: scan.logical, skipped: scan.skipped }
}

describe("a home's walk and msb's lock files", () => {
  it('counts the lock files of a lease folder as empty files; a directory or a symlink named *.lock as what it is', () => {
    const entries = fileEntriesOf(listDirectory(leases, true))
    expect(entries.get('e3b0.lock')).toMatchObject({ bytes: 0, isFile: true, isSymlink: false })
    expect(entries.get('link.lock')).toMatchObject({ isFile: false, isSymlink: true })
    expect(entries.get('odd.lock')).toMatchObject({ isFile: false, isSymlink: false })
    // The erofs, two lock files and the file inside the folder named *.lock; the symlink is skipped, never followed.
    expect(walked(new Set([join(root, 'fsmeta'), leases]))).toEqual({ files: 4, logical: 7 + 4, skipped: 1 })
  })

  it("counts a *.lock file's bytes anywhere else", () => {
    expect(walked(new Set())).toEqual({ files: 4, logical: 7 + 4 + 5, skipped: 1 })
  })
})
