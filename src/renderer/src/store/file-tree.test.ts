import { describe, expect, it } from 'vitest'
import type { FileRow } from '../../../shared/contract'
import { buildFileTree, includedRows, visibleRows } from './file-tree'

const row = (path: string, type: FileRow['type'], change?: FileRow['change']): FileRow => ({
  path,
  type,
  size: 1,
  mode: 0o644,
  uid: 0,
  gid: 0,
  layer: 0,
  ...(change ? { change } : {})
})

const rows = [
  row('/etc', 'dir', 'modified'),
  row('/etc/a', 'file', 'deleted'),
  row('/etc/keep', 'dir', 'modified'),
  row('/etc/keep/same', 'dir', 'modified'),
  row('/usr', 'dir', 'modified'),
  row('/usr/lib', 'dir', 'added'),
  row('/usr/lib/libssl.so.3', 'file', 'added')
]
const paths = (idx: number[]) => idx.map((i) => rows[i].path)

describe('the Files tree', () => {
  const tree = buildFileTree(rows)

  it('shows only the top level until a directory is expanded, then its children in order', () => {
    expect(paths(visibleRows(tree, null, new Set()))).toEqual(['/etc', '/usr'])
    expect(paths(visibleRows(tree, null, new Set([0])))).toEqual(['/etc', '/etc/a', '/etc/keep', '/usr'])
  })

  it('finds a path by search and opens its ancestors', () => {
    const inc = includedRows(tree, { search: 'LIBSSL', changesOnly: false })
    expect(paths(visibleRows(tree, inc, new Set()))).toEqual(['/usr', '/usr/lib', '/usr/lib/libssl.so.3'])
    // While filtering, a toggled directory is one the user closed.
    expect(paths(visibleRows(tree, inc, new Set([4])))).toEqual(['/usr'])
  })

  it('"changes only" drops directories a layer lists only as parents', () => {
    const inc = includedRows(tree, { search: '', changesOnly: true })
    expect(paths(visibleRows(tree, inc, new Set()))).toEqual([
      '/etc',
      '/etc/a',
      '/usr',
      '/usr/lib',
      '/usr/lib/libssl.so.3'
    ])
  })
})
