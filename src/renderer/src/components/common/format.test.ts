import { describe, expect, it } from 'vitest'
import { removeTitle } from './format'

describe('removeTitle', () => {
  it('names one image and counts many with the thousands separator used elsewhere', () => {
    expect(removeTitle(['alpine'])).toBe('Remove alpine?')
    expect(removeTitle(Array.from({ length: 10_000 }, (_, i) => `img:${i}`))).toBe('Remove 10,000 images?')
  })
})
