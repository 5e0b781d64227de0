import { describe, expect, it } from 'vitest'
import { dataStays, freedNote } from './freed-note'

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
  it('says why even the metadata file stays when another reference is the same name to msb', () => {
    const alpine = {
      aliases: ['docker.io/library/alpine:latest'],
      sharesMetadataWith: ['docker.io/library/alpine:latest'],
      sandboxes: [{ id: 1, name: 'scratch', status: 'Stopped' }],
      snapshots: []
    }
    expect(freedNote(alpine)).toBe(
      'the data stays: 1 other tag of this image; held by sandbox scratch; ' +
        'its metadata file stays too: docker.io/library/alpine:latest is the same name to msb'
    )
    // The detail pane has room to name the other tags.
    expect(freedNote(alpine, { nameAliases: true })).toBe(
      'the data stays: 1 other tag of this image (docker.io/library/alpine:latest); held by sandbox scratch; ' +
        'its metadata file stays too: docker.io/library/alpine:latest is the same name to msb'
    )
    // The data goes, only the shared file stays: said, but the figure is not "small".
    const dataGoes = { aliases: [], sharesMetadataWith: ['b', 'c', 'd'], sandboxes: [], snapshots: [] }
    expect(freedNote(dataGoes)).toBe('its metadata file stays: b, c and 1 more are the same name to msb')
    expect(dataStays(dataGoes)).toBe(false)
    expect(dataStays(alpine)).toBe(true)
  })
})
