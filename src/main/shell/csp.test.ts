import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from './csp'

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/)
      return [name, values]
    })
  )
}

describe('contentSecurityPolicy', () => {
  it('is strict in production: nothing inline, nothing remote, no plugins, no framing', () => {
    const d = directives(contentSecurityPolicy())
    expect(d.get('default-src')).toEqual(["'self'"])
    expect(d.get('script-src')).toEqual(["'self'"])
    expect(d.get('style-src')).toEqual(["'self'"])
    expect(d.get('img-src')).toEqual(["'self'", 'data:'])
    expect(d.get('connect-src')).toEqual(["'self'"])
    expect(d.get('object-src')).toEqual(["'none'"])
    expect(d.get('base-uri')).toEqual(["'none'"])
    expect(d.get('frame-ancestors')).toEqual(["'none'"])
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|unsafe-inline|\*|https?:/)
  })

  it('relaxes only what the Vite dev server needs, and never allows eval', () => {
    const policy = contentSecurityPolicy({ dev: true })
    const d = directives(policy)
    expect(d.get('script-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(d.get('connect-src')).toEqual(["'self'", 'ws:'])
    expect(policy).not.toContain('unsafe-eval')
    expect(d.get('object-src')).toEqual(["'none'"])
  })

  it('leaves frame-ancestors out of the <meta> variant only', () => {
    const meta = directives(contentSecurityPolicy({ delivery: 'meta' }))
    expect(meta.has('frame-ancestors')).toBe(false)
    expect(meta.get('script-src')).toEqual(["'self'"])
  })
})
