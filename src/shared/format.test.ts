import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, shortDigest } from './format'

describe('formatBytes', () => {
  it('uses SI units (1 kB = 1000 bytes), like docker images', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1000)).toBe('1.00 kB')
    expect(formatBytes(1536)).toBe('1.54 kB')
    expect(formatBytes(12_345_678)).toBe('12.3 MB')
    expect(formatBytes(456_000_000_000)).toBe('456 GB')
    expect(formatBytes(-2500)).toBe('-2.50 kB')
  })

  it('says unknown when the size is not known', () => {
    expect(formatBytes(null)).toBe('unknown')
    expect(formatBytes(undefined)).toBe('unknown')
    expect(formatBytes(Number.NaN)).toBe('unknown')
  })
})

describe('shortDigest', () => {
  it('keeps the first 12 hex digits after the algorithm', () => {
    expect(shortDigest(`sha256:${'0123456789abcdef'.repeat(4)}`)).toBe('0123456789ab')
    expect(shortDigest('0123456789abcdef')).toBe('0123456789ab')
    expect(shortDigest(null)).toBe('')
  })
})

describe('formatCount', () => {
  it('groups thousands exactly as en-US does, for every size of whole number', () => {
    const en = new Intl.NumberFormat('en-US')
    for (const n of [0, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 28_000, 123_456_789, 2 ** 53 - 1, -1, -1234]) {
      expect(formatCount(n), String(n)).toBe(en.format(n))
    }
  })
})
