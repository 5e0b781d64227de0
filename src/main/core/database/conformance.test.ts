// The core reads the real microsandbox cache exactly as msb does. Every cache here is built by the real msb
// (`msb load`), 0.6.18 and 0.7.2 alike, and every answer is compared with that msb: the CLI's JSON with
// `msb image ls|inspect --format json` byte for byte, and on 0.6.18 the core's objects with microsandbox's own
// Node SDK (`Image.list/get/inspect`; the SDK on npm is 0.6.18 and cannot open a 0.7 home).
//
// Besides the standard scenario (every edge case we know), two random caches that no test was written against are
// built per run. Their seeds come from the clock and are printed in the test names; to replay a failure, run with
// ICE_SEEDS=<seed>,<seed>.
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageDetail, ImageHandle } from '../../../shared/contract'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { buildCache } from '../../demo/build-cache'
import { DEFAULT_MSB, MSB_VERSIONS, type MsbVersion, msbBinary, runMsb } from '../../demo/msb'
import { hostArchitecture } from '../../demo/oci-archive'
import {
  type BuiltScenario,
  buildScenario,
  LAYERED_32_REFERENCE,
  randomScenario,
  type Scenario,
  standardScenario
} from '../../../../test-support/fixtures/scenarios'
import {
  type SdkDetail,
  type SdkHandle,
  type SdkView,
  sdkView,
  toSdkTime
} from '../../../../test-support/fixtures/sdk-images'
import { type Cache, openCache } from '../cache'
import { compareBytes } from './image-queries'

const RANDOM_IMAGES = 40
const execFileAsync = promisify(execFile)
const seeds = (process.env.ICE_SEEDS?.split(',').map(Number) ?? [Date.now(), Date.now() * 7 + 13]).map(
  (s) => Math.abs(Math.trunc(s)) % 2 ** 31
)
console.log(`conformance: random cache seeds ${seeds.join(',')} (replay with ICE_SEEDS=${seeds.join(',')})`)

const scenarioCases: { name: string; scenario: () => Scenario }[] = [
  { name: 'standard scenario', scenario: standardScenario },
  ...seeds.map((seed) => ({
    name: `random scenario seed=${seed} (${RANDOM_IMAGES} images)`,
    scenario: () => randomScenario(seed, RANDOM_IMAGES)
  }))
]
// Every scenario against the default release; the newer one gets the standard scenario and one random cache.
const cases = MSB_VERSIONS.flatMap((msb) =>
  (msb === DEFAULT_MSB ? scenarioCases : scenarioCases.slice(0, 2)).map((c) => ({ ...c, msb }))
)

/** The core's handle as the SDK shows it: Dates at millisecond precision. */
function asSdkHandle(h: ImageHandle): SdkHandle {
  return { ...h, createdAt: toSdkTime(h.createdAt), lastUsedAt: toSdkTime(h.lastUsedAt) }
}

function asSdkDetail(d: ImageDetail): SdkDetail {
  return { handle: asSdkHandle(d.handle), config: d.config, layers: d.layers }
}

describe.each(cases)('conformance with msb $msb: $name', ({ scenario, msb: version }) => {
  let home: string
  let built: BuiltScenario
  let cache: Cache
  let references: string[]
  let sdk: SdkView

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'ice-conformance-'))
    built = buildScenario(home, scenario(), { msb: version })
    cache = openCache({ home })
    references = [...built.references.keys()]
    if (version === DEFAULT_MSB) sdk = sdkView(home, references)
  })
  afterAll(() => {
    cache?.close()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('CLI `ls --json` prints exactly what `msb image ls --format json` prints', async () => {
    const msb = runMsb(home, ['image', 'ls', '--format', 'json'], { msb: version }).stdout
    const ours = await runCli(['ls', '--json', '--home', home])
    expect(ours.code).toBe(0)
    expect(ours.stderr).toBe('')
    expect(ours.stdout).toBe(msb)
    // Also proves timestamps.ts: created_at is chrono's to_rfc3339() of the stored text.
    expect(JSON.parse(msb).length).toBe(references.length)
  })

  it('CLI `inspect REF --json` prints exactly what `msb image inspect REF --format json` prints, for every reference', async () => {
    const msb = await msbInspectAll(home, references, version)
    for (const reference of references) {
      const ours = await runCli(['inspect', reference, '--json', '--home', home])
      expect(ours.code, reference).toBe(0)
      expect(ours.stdout, reference).toBe(msb.get(reference))
    }
  })

  // The Node SDK oracle exists for 0.6.18 only.
  if (version === DEFAULT_MSB) {
    it("list() equals the SDK's Image.list(), order included", () => {
      expect(cache.list().map(asSdkHandle)).toEqual(sdk.list)
    })

    it("get() and inspect() equal the SDK's Image.get() and Image.inspect() for every reference", () => {
      for (const reference of references) {
        expect(asSdkHandle(cache.get({ reference })), reference).toEqual(sdk.get[reference])
        const detail = cache.inspect({ reference })
        expect(asSdkDetail(detail), reference).toEqual(sdk.inspect[reference])
        // toEqual ignores key order; msb returns labels with keys in byte order, and so does the core (these scenarios
        // have no integer-like keys, which a JS object always puts first; see the label-order case below).
        const labels = detail.config?.labels
        if (labels) expect(Object.keys(labels), reference).toEqual(Object.keys(labels).sort(compareBytes))
      }
    })
  }

  it('inspect() gives the layers in the order written in the OCI archive, positions 0..n-1', () => {
    for (const [reference, image] of built.references) {
      const detail = cache.inspect({ reference })
      expect(detail.handle.manifestDigest, reference).toBe(image.manifestDigest)
      expect(detail.handle.sizeBytes, reference).toBe(image.totalCompressed)
      expect(detail.handle.layerCount, reference).toBe(image.layers.length)
      expect(detail.config?.digest, reference).toBe(image.configDigest)
      expect(
        detail.layers.map((l) => [l.position, l.diffId, l.blobDigest, l.compressedSizeBytes]),
        reference
      ).toEqual(image.layers.map((l, i) => [i, l.diffId, l.blobDigest, l.compressedSize]))
    }
  })

  it('lists every reference once, and counts manifests left without a reference by retags', () => {
    const listed = cache.list()
    expect(listed.map((h) => h.reference).sort()).toEqual([...references].sort())
    const liveDigests = new Set(listed.map((h) => h.manifestDigest))
    for (const d of built.unreferencedManifests) expect(liveDigests.has(d)).toBe(false)
    const status = cache.status()
    expect(status.schema).toMatchObject({ kind: 'known', line: version === '0.7.2' ? '0.7' : '0.6' })
    expect(status.readOnly).toBe(false)
    expect(status.imageCount).toBe(references.length)
    expect(status.manifestCount).toBe(liveDigests.size + built.unreferencedManifests.length)
    expect(listed.every((h) => h.os === 'linux' && h.architecture === hostArchitecture())).toBe(true)
  })
})

describe.each(MSB_VERSIONS)('conformance with msb %s: the standard scenario, case by case', (version) => {
  let home: string
  let built: BuiltScenario
  let cache: Cache

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'ice-conformance-cases-'))
    built = buildScenario(home, standardScenario(), { msb: version })
    cache = openCache({ home })
  })
  afterAll(() => {
    cache?.close()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('the 32-layer image: 32 layers bottom to top, as in its archive', () => {
    const detail = cache.inspect({ reference: LAYERED_32_REFERENCE })
    expect(detail.layers).toHaveLength(32)
    expect(detail.layers.map((l) => l.position)).toEqual(Array.from({ length: 32 }, (_, i) => i))
    expect(detail.layers.map((l) => l.diffId)).toEqual(
      built.references.get(LAYERED_32_REFERENCE)!.layers.map((l) => l.diffId)
    )
    expect(cache.get({ reference: LAYERED_32_REFERENCE }).layerCount).toBe(32)
  })

  it('host:port references are stored and matched verbatim', () => {
    for (const reference of [
      'localhost:5000/team/app:1.0',
      'registry.example.com:8443/a/b/c:tag',
      'registry.example.com:8443/deep/x/y/z/w:tag'
    ]) {
      expect(cache.get({ reference }).reference).toBe(reference)
    }
    const pinned = cache.list().find((h) => h.reference.startsWith('registry.example.com:8443/pinned/app@sha256:'))
    expect(pinned).toBeDefined()
    expect(cache.inspect({ reference: pinned!.reference }).layers).toHaveLength(2)
  })

  it('aliases are different rows: `alpine` and `docker.io/library/alpine:latest`, one manifest', () => {
    const refs = cache.list().map((h) => h.reference)
    expect(refs.filter((r) => r === 'alpine')).toHaveLength(1)
    expect(refs.filter((r) => r === 'docker.io/library/alpine:latest')).toHaveLength(1)
    const a = cache.get({ reference: 'alpine' })
    const b = cache.get({ reference: 'docker.io/library/alpine:latest' })
    expect(a.manifestDigest).toBe(b.manifestDigest)
    expect(a.createdAt).not.toBe(b.createdAt)
    // No normalisation on the database side, exactly like msb.
    for (const other of ['docker.io/library/alpine', 'alpine:latest', 'library/alpine']) {
      expect(() => cache.get({ reference: other })).toThrow(expect.objectContaining({ code: 'ImageNotFound' }))
    }
    // Case matters: `localhost/plain:dev` and `localhost/plain:DEV` are two references.
    expect(cache.get({ reference: 'localhost/plain:DEV' }).manifestDigest).toBe(
      cache.get({ reference: 'localhost/plain:dev' }).manifestDigest
    )
  })

  it('a retag leaves the old manifest without a reference: not listed, but counted', () => {
    expect(built.unreferencedManifests).toHaveLength(1)
    const [orphan] = built.unreferencedManifests
    const listed = cache.list()
    expect(listed.some((h) => h.manifestDigest === orphan)).toBe(false)
    const worker = cache.get({ reference: 'localhost:5000/team/worker:stable' })
    expect(worker.manifestDigest).toBe(built.references.get('localhost:5000/team/worker:stable')!.manifestDigest)
    expect(worker.manifestDigest).not.toBe(orphan)
    expect(cache.status().manifestCount).toBe(new Set(listed.map((h) => h.manifestDigest)).size + 1)
  })

  it('unicode labels and env come back intact, keys sorted', () => {
    const config = cache.inspect({ reference: 'registry.example.com:8443/intl/labels:v1' }).config!
    expect(config.labels).toEqual({
      emoji: '🚀',
      'org.example.名前': '値',
      'org.opencontainers.image.title': 'Ünïcödé „quotes“ \\ "and" \n newline'
    })
    expect(Object.keys(config.labels!)).toEqual(['emoji', 'org.example.名前', 'org.opencontainers.image.title'])
    expect(config.env).toEqual(['GREETING=こんにちは'])
  })

  it('absent, explicitly empty and explicitly null config fields: null vs [] vs ""', () => {
    const absent = cache.inspect({ reference: 'localhost:5000/minimal/absent:1' }).config!
    expect({ ...absent, digest: undefined }).toEqual({
      digest: undefined,
      env: [],
      cmd: null,
      entrypoint: null,
      workingDir: null,
      user: null,
      labels: null,
      stopSignal: null
    })
    const empty = cache.inspect({ reference: 'localhost:5000/minimal/empty:1' }).config!
    // msb keeps an explicit [] for cmd/entrypoint and "" for user/working dir; empty env and labels are stored NULL.
    expect({ ...empty, digest: undefined }).toEqual({
      digest: undefined,
      env: [],
      cmd: [],
      entrypoint: [],
      workingDir: '',
      user: '',
      labels: null,
      stopSignal: null
    })
    const explicitNull = cache.inspect({ reference: 'localhost:5000/minimal/null:1' }).config!
    expect({ ...explicitNull, digest: undefined }).toEqual({ ...absent, digest: undefined })
  })

  it('stop signal and EROFS size are null even when the image sets them (msb never stores them)', () => {
    const nginx = cache.inspect({ reference: 'docker.io/library/nginx:1.27' })
    expect(nginx.config?.stopSignal).toBeNull()
    expect(nginx.config?.user).toBe('101:101')
    expect(nginx.layers.every((l) => l.erofsSizeBytes === null)).toBe(true)
  })

  it('snapshots are named as msb names them: `group:name` on a 0.7 schema, the name on 0.6', () => {
    const usage = cache.usage().images
    const pg = usage.find((u) => u.reference === 'docker.io/library/postgres:16')!
    expect(pg.snapshots).toEqual([version === '0.7.2' ? 'db:pg-before-migration' : 'pg-before-migration'])
    if (version === '0.7.2') {
      const listed = runMsb(home, ['snapshot', 'ls'], { msb: version }).stdout
      expect(listed).toContain('db:pg-before-migration')
      expect(listed).toContain('db:ubuntu-base')
    }
  })

  it('`npm run cli -- ls --json` as a process prints what msb prints', () => {
    const msb = runMsb(home, ['image', 'ls', '--format', 'json'], { msb: version }).stdout
    const r = runTsxCli(['ls', '--json', '--home', home])
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(msb)
  })
})

describe.each(MSB_VERSIONS)(
  'conformance with msb %s: label keys and strings JSON orders or escapes differently',
  (version) => {
    // JavaScript objects put integer-like keys ("9", "10") first whatever their insertion order, and sort strings by
    // UTF-16 code units; msb (Rust BTreeMap) sorts keys by UTF-8 bytes. Control characters must be escaped as serde does.
    const labels = {
      '10': 'ten',
      '9': 'nine',
      '1.5': 'one and a half',
      a: 'a',
      '\uff61half-width': 'U+FF61 sorts after an astral character in UTF-16, before it in UTF-8',
      '😀emoji': '\u0001 control \u007f del \t tab \u2028 separator',
      '': 'empty key'
    }
    const reference = 'localhost:5000/labels/order:1'
    let home: string

    beforeAll(() => {
      home = mkdtempSync(join(tmpdir(), 'ice-conformance-labels-'))
      buildCache(
        home,
        [
          {
            reference,
            image: {
              layers: [{ seed: 'label-order', sizeBytes: 1024 }],
              config: { labels, env: ['CTRL=\u0002\u001f'], user: '\u0000' }
            }
          }
        ],
        { msb: version }
      )
    })
    afterAll(() => {
      if (home) rmSync(home, { recursive: true, force: true })
    })

    it("CLI `inspect --json` prints the labels in msb's key order, escaped as msb escapes them", async () => {
      const msb = runMsb(home, ['image', 'inspect', reference, '--format', 'json'], { msb: version }).stdout
      const ours = await runCli(['inspect', reference, '--json', '--home', home])
      expect(ours.stdout).toBe(msb)
    })

    it.runIf(version === DEFAULT_MSB)('core inspect() has the same labels as the SDK', () => {
      const cache = openCache({ home })
      try {
        const sdk = sdkView(home, [reference])
        expect(asSdkDetail(cache.inspect({ reference }))).toEqual(sdk.inspect[reference])
        expect(cache.inspect({ reference }).config?.labels).toEqual(labels)
      } finally {
        cache.close()
      }
    })
  }
)

/** `msb image inspect REF --format json` for each reference, a few processes at a time. */
async function msbInspectAll(home: string, references: string[], version: MsbVersion): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const queue = [...references]
  const worker = async () => {
    for (let r = queue.shift(); r !== undefined; r = queue.shift()) {
      const { stdout } = await execFileAsync(msbBinary(version), ['image', 'inspect', r, '--format', 'json'], {
        env: { ...process.env, MSB_HOME: home, NO_COLOR: '1' },
        maxBuffer: 64 * 1024 * 1024
      })
      out.set(r, stdout)
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
  return out
}

function runTsxCli(args: string[]): { status: number | null; stdout: string } {
  const root = fileURLToPath(new URL('../../../..', import.meta.url))
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['src/main/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8'
  })
  return { status: r.status, stdout: r.stdout }
}
