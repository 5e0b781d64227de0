// The build steps of each image (`docker history`), from the OCI config msb keeps in manifests/<key>.json.
// The standard scenario, loaded by the real msb, carries real-looking histories: steps that made no layer
// interleaved with those that did (team/app, nginx), none at all (alpine), and more layer-making steps
// than layers (redis: squashed). Every answer is checked against the config in the metadata files msb wrote.
import { readdirSync, readFileSync, renameSync, rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { buildScenario, standardScenario } from '../../../../test-support/fixtures/scenarios'
import { openCache, type Cache } from '../cache'
import { metadataName } from '../homes/file-names'
import { trimInstruction } from './image-history'

interface StoredHistory {
  created?: string
  created_by?: string
  comment?: string
  empty_layer?: boolean
}
interface StoredConfig {
  created?: string
  history?: StoredHistory[]
  rootfs: { diff_ids: string[] }
}

let home: string
let cache: Cache
/** Manifest digest → the config msb stored, read straight from every manifests/*.json. */
const configs = new Map<string, StoredConfig>()

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ice-history-'))
  buildScenario(home, standardScenario())
  const dir = join(home, 'cache', 'manifests')
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
      manifest_digest: string
      raw_config_json: string
    }
    configs.set(record.manifest_digest, JSON.parse(record.raw_config_json) as StoredConfig)
  }
  cache = openCache({ home })
})
afterAll(() => {
  cache.close()
  rmSync(home, { recursive: true, force: true })
})

describe('history', () => {
  it('lists every step of the stored config and labels each layer with the step that made it', () => {
    let matched = 0
    for (const { reference, manifestDigest } of cache.list()) {
      const history = cache.history({ reference })
      const config = configs.get(manifestDigest ?? '')
      expect(config, reference).toBeDefined()
      expect(history.builtAt, reference).toBe(config?.created ?? null)
      const stored = config?.history ?? []
      expect(
        history.steps.map((s) => [s.createdBy, s.created, s.comment, s.emptyLayer]),
        reference
      ).toEqual(stored.map((h) => [h.created_by ?? null, h.created ?? null, h.comment ?? null, h.empty_layer === true]))
      const layers = cache.inspect({ reference }).layers
      const making = stored.filter((h) => !h.empty_layer)
      if (stored.length === 0) {
        expect(history.state, reference).toBe('no-history')
      } else if (making.length !== layers.length) {
        expect(history.state, reference).toBe('mismatch')
        // Never a guess: no step names a layer, no layer names a step.
        expect(history.steps.every((s) => s.layer === null)).toBe(true)
        expect(history.layerSteps.every((s) => s === null)).toBe(true)
      } else {
        matched++
        expect(history.state, reference).toBe('matched')
        // The layer a step made is the config's diff id at the same place among the layer-making steps.
        for (const step of history.steps.filter((s) => !s.emptyLayer)) {
          const nth = making.indexOf(stored[step.index])
          expect(layers[step.layer ?? -1].diffId).toBe(config?.rootfs.diff_ids[nth])
        }
        expect(history.steps.filter((s) => s.emptyLayer).every((s) => s.layer === null)).toBe(true)
      }
    }
    expect(matched).toBeGreaterThan(2)
  })

  it('names the Dockerfile step of each layer of team/app, empty steps between them', () => {
    const history = cache.history({ reference: 'localhost:5000/team/app:1.0' })
    const byLayer = history.layerSteps.map((i) => history.steps[i ?? -1]?.instruction)
    expect(byLayer).toEqual([
      'ADD file:6a7c9b2e1f in /',
      'RUN apk add --no-cache libc6-compat',
      'RUN apk add --no-cache nodejs=20.15.1-r0',
      'COPY . /app'
    ])
    expect(history.steps.filter((s) => s.emptyLayer).map((s) => s.instruction)).toContain('CMD ["/bin/sh"]')
    expect(history.builtAt).toBe('2026-06-10T09:02:00Z')
  })

  it('says why when the steps cannot be matched, the history is absent or the metadata file is gone', () => {
    const redis = cache.history({ reference: 'docker.io/library/redis:7' })
    expect(redis.state).toBe('mismatch')
    expect(redis.note).toBe(
      'The config lists 4 steps that made a layer for 3 layers: layers are shown by position, not matched to steps.'
    )
    const alpine = cache.history({ reference: 'alpine' })
    expect(alpine).toMatchObject({ state: 'no-history', steps: [], layerSteps: [null] })
    expect(alpine.note).toMatch(/no steps/)
    const file = join(home, 'cache', 'manifests', metadataName('localhost:5000/team/app:1.0') ?? '')
    renameSync(file, `${file}.away`)
    try {
      const gone = cache.history({ reference: 'localhost:5000/team/app:1.0' })
      expect(gone.state).toBe('no-metadata')
      expect(gone.note).toMatch(/^No build history: msb's metadata file manifests\/[0-9a-f]{64}\.json is missing\.$/)
      expect(gone.layerSteps).toEqual([null, null, null, null])
    } finally {
      renameSync(`${file}.away`, file)
    }
  })

  it('gives each reference its build date in list order', () => {
    const dates = cache.buildDates()
    expect(dates.map((d) => d.reference)).toEqual(cache.list().map((i) => i.reference))
    expect(dates.find((d) => d.reference === 'docker.io/library/nginx:1.27')?.builtAt).toBe('2026-06-01T12:30:00Z')
    expect(dates.find((d) => d.reference === 'alpine')?.builtAt).toBeNull()
  })

  it('trims the shell noise as Docker does', () => {
    expect(trimInstruction('/bin/sh -c #(nop)  CMD ["sh"]')).toBe('CMD ["sh"]')
    expect(trimInstruction('/bin/sh -c #(nop) ADD file:abc in / ')).toBe('ADD file:abc in /')
    expect(trimInstruction('/bin/sh -c apt-get update')).toBe('RUN apt-get update')
    expect(trimInstruction('|2 A=1 B=2 /bin/sh -c make\tall')).toBe('RUN make all')
    expect(trimInstruction('RUN /bin/sh -c rm -rf /app/tmp # buildkit')).toBe('RUN rm -rf /app/tmp')
    expect(trimInstruction('COPY . /app # buildkit')).toBe('COPY . /app')
  })
})

describe('ice history', () => {
  it('prints the steps newest first with the layer each made; --json gives the same steps', async () => {
    const r = await runCli(['history', 'localhost:5000/team/app:1.0', '--home', home])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[1]).toMatch(/^CREATED\s+CREATED BY\s+LAYER\s+SIZE\s+COMMENT$/)
    expect(lines[2]).toMatch(/CMD \["server\.js"\]\s+-\s+0 B/)
    expect(r.stdout).toMatch(/COPY \. \/app\s+3\s+\d/)
    expect(lines.at(-1)).toMatch(/ADD file:6a7c9b2e1f in \/\s+0\s/)
    const json = JSON.parse((await runCli(['history', 'localhost:5000/team/app:1.0', '--json', '--home', home])).stdout)
    expect(json).toMatchObject(cache.history({ reference: 'localhost:5000/team/app:1.0' }))
    expect(json.steps.find((s: { layer: number | null }) => s.layer === 3).diffId).toBe(
      cache.inspect({ reference: 'localhost:5000/team/app:1.0' }).layers[3].diffId
    )
    const none = await runCli(['history', 'alpine', '--home', home])
    expect(none.stdout).toBe('No build history: the image config lists no steps.\n')
  })

  it('a mistyped flag gets one line and a hint; --help lists --port with serve', async () => {
    const r = await runCli(['ls', '--hom', home])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("error: Unknown option '--hom'; did you mean --home? (see --help)\n")
    const help = (await runCli(['--help'])).stdout
    expect(help).toMatch(/serve .*\n.*--port N/)
    expect(help.indexOf('--port N')).toBeLessThan(help.indexOf('Retention rules'))
  })
})
