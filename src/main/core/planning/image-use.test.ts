// imageUse() and usage's progress: the window's first rows say which images are in use before any file is measured. It
// must say what usage() says about sandboxes, snapshots and aliases, and must not need the files.
import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationProgress } from '../../../shared/contract'
import { buildScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache } from '../cache'

let home: string

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ice-image-use-'))
  buildScenario(home, standardScenario())
})
afterAll(() => rmSync(home, { recursive: true, force: true }))

describe('imageUse', () => {
  it('gives the same sandboxes, snapshots and aliases as usage, in list order', () => {
    const cache = openCache({ home })
    try {
      const facts = cache.usage().images.map(({ reference, manifestDigest, aliases, sandboxes, snapshots }) => ({
        reference,
        manifestDigest,
        aliases,
        sandboxes,
        snapshots
      }))
      expect(cache.imageUse()).toEqual(facts)
      expect(cache.imageUse().map((u) => u.reference)).toEqual(cache.list().map((i) => i.reference))
      // The scenario has an image in use and one with an alias, so this compares something.
      expect(facts.some((f) => f.sandboxes.length > 0)).toBe(true)
      expect(facts.some((f) => f.aliases.length > 0)).toBe(true)
    } finally {
      cache.close()
    }
  })

  it('answers from the database alone: the same with the cache files moved away', () => {
    const before = openCache({ home })
    const expected = before.imageUse()
    before.close()
    const cacheDir = join(home, 'cache')
    renameSync(cacheDir, `${cacheDir}.away`)
    const cache = openCache({ home })
    try {
      expect(cache.imageUse()).toEqual(expected)
      expect(cache.usage().totalBytes).toBe(0)
    } finally {
      cache.close()
      renameSync(`${cacheDir}.away`, cacheDir)
    }
  })
})

describe('usage progress', () => {
  it('counts the files it measures, ending on all of them, and says nothing when sizes are known', () => {
    const cache = openCache({ home })
    try {
      const seen: number[] = []
      const onProgress = (p: OperationProgress) => p.operation === 'usage' && seen.push(p.filesMeasured)
      cache.usage({}, { onProgress })
      // Every content file except msb's lock files (sized from their directory entry) is lstat-ed once.
      const contentFiles = ['layers', 'fsmeta', 'vmdk', 'manifests']
        .flatMap((d) => readdirSync(join(home, 'cache', d)))
        .filter((n) => !n.endsWith('.lock')).length
      expect(seen.at(-1)).toBe(contentFiles)
      expect(seen).toEqual([...seen].sort((a, b) => a - b))
      seen.length = 0
      cache.usage({}, { onProgress })
      expect(seen).toEqual([])
    } finally {
      cache.close()
    }
  })
})
