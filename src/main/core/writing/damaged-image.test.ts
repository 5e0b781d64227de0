// An image whose files are partly gone (a disk cleaned by hand, a half-restored backup): msb still
// lists it but cannot start it. The explorer flags it as damaged with what is missing, removes it like
// any other image, and then leaves what msb leaves: no `.erofs.lock` whose layer file was missing.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { msbJson, runMsb } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { openCache } from '../cache'
import { digestFileStem } from '../homes/digest'

let root: string
let template: string
let damagedLayer: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-damaged-'))
  template = join(root, 'template')
  const one = join(root, 'one.tar')
  const two = join(root, 'two.tar')
  writeOciArchive(one, [
    {
      layers: [
        { seed: 'base', sizeBytes: 8192 },
        { seed: 'broken', sizeBytes: 4096 }
      ],
      config: { cmd: ['sh'] }
    }
  ])
  writeOciArchive(two, [{ layers: [{ seed: 'base', sizeBytes: 8192 }], config: { cmd: ['sh'] } }])
  runMsb(template, ['load', '-q', '-i', one, '-t', 'localhost/broken:1'])
  runMsb(template, ['load', '-q', '-i', two, '-t', 'localhost/fine:1'])
  const detail = msbJson<{ layers: { diff_id: string }[] }>(template, ['image', 'inspect', 'localhost/broken:1'])
  damagedLayer = `layers/${digestFileStem(detail.layers[1].diff_id)}.erofs`
  // The layer file goes; its lock file (msb leaves one beside every layer it built) stays.
  rmSync(join(template, 'cache', damagedLayer))
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

function copy(name: string): string {
  const dir = join(root, name)
  cpSync(template, dir, { recursive: true })
  return dir
}

const layerEntries = (home: string) => readdirSync(join(home, 'cache', 'layers')).sort()

describe('an image with a missing layer file', () => {
  it('is flagged as damaged, naming the missing file; the intact image is not', async () => {
    const cache = openCache({ home: copy('flag') })
    try {
      const usage = cache.usage()
      expect(usage.images.find((i) => i.reference === 'localhost/broken:1')?.missingFiles).toEqual([damagedLayer])
      expect(usage.images.find((i) => i.reference === 'localhost/fine:1')?.missingFiles).toEqual([])
      expect(cache.insight({ reference: 'localhost/broken:1' }).usage.missingFiles).toEqual([damagedLayer])
    } finally {
      cache.close()
    }
    const inspect = await runCli(['inspect', 'localhost/broken:1', '--home', join(root, 'flag')])
    expect(inspect.stdout).toContain(`Damaged:      missing ${damagedLayer}`)
  })

  it('rm removes it as msb does and leaves the same files: the orphaned .erofs.lock goes too', async () => {
    const theirs = copy('rm-msb')
    const ours = copy('rm-ours')
    expect(layerEntries(ours)).toContain(`${damagedLayer.slice('layers/'.length)}.lock`)
    runMsb(theirs, ['image', 'rm', 'localhost/broken:1'])
    const r = await runCli(['rm', '--json', '--home', ours, 'localhost/broken:1'])
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as { result: unknown }).result).toMatchObject({
      removed: ['localhost/broken:1'],
      differences: []
    })
    for (const dir of ['layers', 'fsmeta', 'vmdk', 'manifests']) {
      expect(entries(join(ours, 'cache', dir))).toEqual(entries(join(theirs, 'cache', dir)))
    }
    expect(layerEntries(ours).some((f) => f.startsWith(damagedLayer.slice('layers/'.length)))).toBe(false)
    expect(msbJson<{ reference: string }[]>(ours, ['image', 'ls']).map((i) => i.reference)).toEqual([
      'localhost/fine:1'
    ])
  })

  it('prune leaves the same files as msb prune', async () => {
    const theirs = copy('prune-msb')
    const ours = copy('prune-ours')
    const msbReport = runMsb(theirs, ['image', 'prune', '--yes', '--format', 'json']).stdout
    const r = await runCli(['prune', '--yes', '--json', '--home', ours])
    expect(r.stdout).toBe(msbReport)
    for (const dir of ['layers', 'fsmeta', 'vmdk', 'manifests']) {
      expect(entries(join(ours, 'cache', dir))).toEqual(entries(join(theirs, 'cache', dir)))
    }
  })
})

/** A folder's entries without the lease folder the explorer's leases make (msb 0.6.18 and 0.7.2 make none). */
function entries(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f !== '.msb-leases')
    .sort()
}
