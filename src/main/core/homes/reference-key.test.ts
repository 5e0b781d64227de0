// msb names a reference's metadata file `manifests/<sha256(normalised reference)>.json`. The normaliser is proven
// against the real thing: for every reference of caches msb 0.6.18 built (the standard scenario and a random one),
// the file the core expects is the file msb wrote, and it describes that reference's manifest.
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BuiltScenario,
  buildScenario,
  randomScenario,
  standardScenario
} from '../../../../test-support/fixtures/scenarios'
import { prng } from '../../../../test-support/fixtures/prng'
import { metadataKey, normalizeReference, parseReference } from './reference-key'

const seed = Number(process.env.ICE_SEED ?? Date.now()) % 2 ** 31
console.log(`reference-key: random cache seed ${seed} (replay with ICE_SEED=${seed})`)

const caches: { name: string; home: string; built: BuiltScenario }[] = []

beforeAll(() => {
  for (const [name, scenario] of [
    ['standard scenario', standardScenario()],
    // Seed 1 has `ghcr.io/db` and `ghcr.io/db:latest` on different manifests: two references, one metadata file.
    ['random scenario seed=1', randomScenario(1, 40)],
    [`random scenario seed=${seed}`, randomScenario(seed, 40)]
  ] as const) {
    const home = mkdtempSync(join(tmpdir(), 'ice-reference-key-'))
    caches.push({ name, home, built: buildScenario(home, scenario) })
  }
})
afterAll(() => {
  for (const c of caches) rmSync(c.home, { recursive: true, force: true })
})

describe('metadata keys equal the files msb wrote', () => {
  it.each([0, 1, 2])('every reference of cache #%i has manifests/<metadataKey(ref)>.json, naming its manifest', (i) => {
    const { home, built } = caches[i]
    const files = new Set(readdirSync(join(home, 'cache', 'manifests')).filter((f) => f.endsWith('.json')))
    const keys = new Set<string>()
    // References that normalise alike share one file (`alpine`, `docker.io/library/alpine:latest`); each load rewrites
    // it, so it names the manifest of the last one loaded, even when the two point at different manifests.
    const lastLoaded = new Map<string, string>()
    for (const e of built.entries) lastLoaded.set(metadataKey(e.reference)!, e.image.manifestDigest)
    for (const [reference] of built.references) {
      const key = metadataKey(reference)
      expect(key, reference).toMatch(/^[0-9a-f]{64}$/)
      keys.add(key!)
      expect(files.has(`${key}.json`), `${reference} → ${key}.json`).toBe(true)
      const metadata = JSON.parse(readFileSync(join(home, 'cache', 'manifests', `${key}.json`), 'utf8')) as {
        manifest_digest: string
      }
      expect(metadata.manifest_digest, reference).toBe(lastLoaded.get(key!))
    }
    // And msb wrote no metadata file the normaliser can't account for.
    expect([...files].sort()).toEqual([...keys].map((k) => `${k}.json`).sort())
  })
})

describe('normalizeReference (oci-client Reference::whole())', () => {
  it.each([
    ['alpine', 'docker.io/library/alpine:latest'],
    ['alpine:3.20', 'docker.io/library/alpine:3.20'],
    ['library/alpine', 'docker.io/library/alpine:latest'],
    ['docker.io/alpine', 'docker.io/library/alpine:latest'],
    ['docker.io/library/alpine:latest', 'docker.io/library/alpine:latest'],
    ['index.docker.io/library/alpine:3', 'docker.io/library/alpine:3'],
    ['index.docker.io/alpine', 'docker.io/library/alpine:latest'],
    ['user/repo', 'docker.io/user/repo:latest'],
    ['localhost:5000/a:b', 'localhost:5000/a:b'],
    ['localhost/a', 'localhost/a:latest'],
    ['127.0.0.1:5000/x/y', '127.0.0.1:5000/x/y:latest'],
    ['registry.example.com:8443/a/b/c:tag', 'registry.example.com:8443/a/b/c:tag'],
    ['ghcr.io/acme/tool:DEBUG', 'ghcr.io/acme/tool:DEBUG'],
    [`name@sha256:${'a'.repeat(64)}`, `docker.io/library/name@sha256:${'a'.repeat(64)}`],
    [`name:1@sha256:${'b'.repeat(64)}`, `docker.io/library/name:1@sha256:${'b'.repeat(64)}`],
    [`ghcr.io/o/r@sha256:${'c'.repeat(64)}`, `ghcr.io/o/r@sha256:${'c'.repeat(64)}`]
  ])('%s → %s', (reference, whole) => {
    expect(normalizeReference(reference)).toBe(whole)
    expect(metadataKey(reference)).toBe(createHash('sha256').update(whole).digest('hex'))
  })

  it.each([
    ['an uppercase repository', 'Alpine'],
    ['an uppercase path component', 'docker.io/Library/alpine'],
    ['an empty string', ''],
    ['a bad tag', 'alpine:-x'],
    ['a short digest', 'alpine@sha256:abc'],
    ['a trailing slash', 'alpine/'],
    ['a double slash', 'a//b']
  ])('refuses %s (%s), like msb: no metadata key', (_what, reference) => {
    expect(normalizeReference(reference)).toBeNull()
    expect(metadataKey(reference)).toBeNull()
  })
})

describe('the shortcut for references already normalised', () => {
  // What the parse alone makes of a reference: the shortcut must never answer anything else.
  const byParse = (reference: string): string | null => {
    const p = parseReference(reference)
    return (
      p && `${p.registry}/${p.repository}${p.tag !== null ? `:${p.tag}` : ''}${p.digest !== null ? `@${p.digest}` : ''}`
    )
  }

  it.each([
    'registry.bench.local/web/app-9000:v1',
    'ghcr.io/acme/tool:DEBUG',
    'localhost:5000/a:b',
    'localhost/a:latest',
    'host:5000/x:1',
    'docker.io/alpine:3',
    'index.docker.io/library/alpine:3',
    'docker.io:443/alpine:3',
    'Registry.io/a:b',
    'ghcr.io/Acme/tool:1',
    'ghcr.io/a//b:1',
    'ghcr.io/a:-x',
    `ghcr.io/${'a'.repeat(251)}:1`,
    `ghcr.io/${'a'.repeat(252)}:1`,
    `ghcr.io/a:${'t'.repeat(128)}`,
    `ghcr.io/a:${'t'.repeat(129)}`
  ])('%s: the same as the parse', (reference) => {
    expect(normalizeReference(reference)).toBe(byParse(reference))
  })

  it('agrees with the parse on 20,000 random references built from the pieces that matter', () => {
    const random = prng(seed)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
    const registries = [
      '',
      'ghcr.io/',
      'docker.io/',
      'index.docker.io/',
      'localhost/',
      'localhost:5000/',
      'Host.IO/',
      'a-b.c/',
      'a.b:99/',
      'x:1/',
      '-a.b/',
      'a..b/',
      'docker.io:443/',
      '[::1]:5000/'
    ]
    const components = ['alpine', 'library', 'a_b', 'a__b', 'a---b', 'a.b', 'A', '_a', 'a-', '', 'x9', 'app-9000']
    const tags = ['', ':latest', ':v1', ':V1.2-rc_3', ':-x', ':', `:${'t'.repeat(128)}`, `:${'t'.repeat(129)}`]
    const digests = ['', `@sha256:${'a'.repeat(64)}`, '@sha256:abc']
    let whole = 0
    for (let i = 0; i < 20_000; i++) {
      const path = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(components)).join('/')
      const long = random() < 0.02 ? 'n'.repeat(240 + Math.floor(random() * 30)) : ''
      const reference = `${pick(registries)}${path}${long}${pick(tags)}${pick(digests)}`
      const expected = byParse(reference)
      if (expected === reference) whole++
      expect(normalizeReference(reference), reference).toBe(expected)
    }
    // The generator reaches the shortcut often, and the parse's other answers too.
    expect(whole).toBeGreaterThan(1000)
  })
})
