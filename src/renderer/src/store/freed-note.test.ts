import { describe, expect, it } from 'vitest'
import { freedNote } from './freed-note'

describe('freedNote', () => {
  it('is null when removing the reference frees the image', () => {
    expect(freedNote({ aliases: [], sandboxes: [], snapshots: [] })).toBeNull()
  })
  it('names other tags and what holds the data', () => {
    expect(freedNote({ aliases: ['a:1', 'a:latest'], sandboxes: [], snapshots: [] })).toBe(
      'the data stays: 2 other tags of this image'
    )
    expect(freedNote({ aliases: [], sandboxes: [], snapshots: ['nightly'] })).toBe(
      'the data stays: held by snapshot nightly'
    )
    expect(freedNote({ aliases: ['b'], sandboxes: [{ id: 1, name: 'web-1', status: 'Running' }], snapshots: [] })).toBe(
      'the data stays: 1 other tag of this image; held by sandbox web-1'
    )
  })
})
