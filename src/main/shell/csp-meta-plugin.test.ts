import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { ViteDevServer } from 'vite'
import { contentSecurityPolicy } from './csp'
import { withCspMeta } from './csp-meta-plugin'

const metaOf = (html: string) => /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]

describe('withCspMeta', () => {
  it("writes the build's policy (no frame-ancestors) into the product's index.html, replacing its tag", () => {
    const source = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
    const html = withCspMeta(source, { server: undefined })
    expect(metaOf(html)).toBe(contentSecurityPolicy({ delivery: 'meta' }))
    expect(html.match(/Content-Security-Policy/g)).toHaveLength(1)
    expect(metaOf(html)).not.toContain('frame-ancestors')
  })

  it('adds the tag to a page without one, and relaxes it only under the dev server', () => {
    const html = withCspMeta('<html><head><title>x</title></head></html>', { server: {} as ViteDevServer })
    expect(metaOf(html)).toBe(contentSecurityPolicy({ dev: true, delivery: 'meta' }))
  })
})
