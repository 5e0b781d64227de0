// The whole home, every byte: a home msb 0.7.2 built, with beside its image cache what msb and other tools
// keep there (sandboxes with a root disk, volumes, snapshots with a deletion journal, memory files, logs,
// the database, a docker-disks folder, hard links and a symlink). The explorer's areas are compared with
// `du` run over the same paths in the same order (du counts a hard link once per run, in the first path
// that reaches it, as the areas do), less what du counts and msb does not: directories and symlinks.
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync
} from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildScenario } from '../../../../test-support/fixtures/scenarios'
import { tempDir } from '../../../../test-support/core/cache-dump'
import { smallScenario } from '../../../../test-support/core/small-scenario'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { openCache } from '../cache'

let dir: string
let home: string

function sparse(path: string, length: number, written: number): void {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, Buffer.alloc(written, 1))
  const fd = openSync(path, 'r+')
  ftruncateSync(fd, length)
  closeSync(fd)
}

function put(path: string, bytes: number): void {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, Buffer.alloc(bytes, 2))
}

beforeAll(() => {
  dir = tempDir('ice-home-')
  home = join(dir, 'home')
  buildScenario(home, smallScenario(), { msb: '0.7.2' })
  sparse(join(home, 'sandboxes', 'job-runner', 'rootfs.raw'), 64 * 1024 * 1024, 40_000)
  put(join(home, 'sandboxes', 'job-runner', 'config.json'), 900)
  put(join(home, 'volumes', 'pgdata', 'base', '1'), 70_000)
  put(join(home, 'snapshots', 'db-snapshot', 'disk.raw'), 50_000)
  put(join(home, 'snapshots', '.snapshot-deletions', 'x', 'files.json'), 30)
  put(join(home, 'cache', 'memory', 'branches', 'b1.ram'), 8192)
  put(join(home, 'cache', 'memory', 'snapshots', 's1.ram'), 4096)
  put(join(home, 'logs', 'job-runner.log'), 5_000)
  sparse(join(home, 'docker-disks', 'disk.img'), 10 * 1024 * 1024, 12_000)
  // A deletion journal hard-links the file it deletes: counted once, under the layer it links.
  const layers = join(home, 'cache', 'layers')
  const layer = readdirSync(layers).find((n) => n.endsWith('.erofs'))!
  mkdirSync(join(home, 'cache', '.image-deletions', 'delete-0123'), { recursive: true })
  linkSync(join(layers, layer), join(home, 'cache', '.image-deletions', 'delete-0123', '0'))
  linkSync(join(home, 'volumes', 'pgdata', 'base', '1'), join(home, 'volumes', 'pgdata', 'base', '1.link'))
  symlinkSync('/etc/hostname', join(home, 'volumes', 'pgdata', 'escape'))
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sum = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .reduce((n, l) => n + Number(l), 0)
const find = (path: string, test: string, format: string) =>
  sum(execFileSync('find', [path, '-type', test, '-printf', `${format}\\n`], { encoding: 'utf8' }))

describe('the whole home', () => {
  it('every area matches du (files only); together they are the whole home', () => {
    const cache = openCache({ home })
    const { areas, logicalBytes, allocatedBytes } = cache.usage().home
    cache.close()
    const paths = areas.map((a) => (isAbsolute(a.path) ? a.path : join(home, a.path)))
    const du = (args: string[]) =>
      execFileSync('du', [...args, '-s', ...paths], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((l) => Number(l.split('\t')[0]))
    const apparent = du(['--apparent-size', '-B1'])
    const onDisk = du(['-B1'])
    areas.forEach((a, i) => {
      const p = paths[i]
      const dirs = find(p, 'd', '%s') + find(p, 'l', '%s')
      const dirBlocks = (find(p, 'd', '%b') + find(p, 'l', '%b')) * 512
      expect([a.name, a.logicalBytes]).toEqual([a.name, apparent[i] - dirs])
      expect([a.name, a.allocatedBytes]).toEqual([a.name, onDisk[i] - dirBlocks])
    })
    // Nothing unaccounted: du over the home, less its directories and symlinks.
    const whole = Number(
      execFileSync('du', ['--apparent-size', '-B1', '-s', home], { encoding: 'utf8' }).split('\t')[0]
    )
    expect(logicalBytes).toBe(whole - find(home, 'd', '%s') - find(home, 'l', '%s'))
    const wholeDisk = Number(execFileSync('du', ['-B1', '-s', home], { encoding: 'utf8' }).split('\t')[0])
    expect(allocatedBytes).toBe(wholeDisk - (find(home, 'd', '%b') + find(home, 'l', '%b')) * 512)
    const kinds = Object.fromEntries(areas.map((a) => [a.name, [a.kind, a.freedBy]]))
    expect(kinds['sandbox job-runner']).toEqual(['sandbox', 'msb rm job-runner'])
    expect(kinds['volume pgdata']).toEqual(['volume', 'msb volume rm pgdata'])
    expect(kinds['snapshot db-snapshot']).toEqual(['snapshot', 'msb snapshot rm db-snapshot'])
    expect(kinds['docker-disks']).toEqual(['other', null])
    expect(kinds['Database (msb.db and its journal files)']?.[0]).toBe('database')
    expect(kinds['Branch and snapshot memory']).toEqual(['memory', 'msb prune (unused memory files)'])
  })

  it("df --json carries msb 0.7.7's `msb df --format json` shape, counted by its rules", async () => {
    const r = await runCli(['df', '--json', '--home', home])
    expect(r.code).toBe(0)
    const msb = (JSON.parse(r.stdout) as { home: { msb: Record<string, unknown> } }).home.msb
    expect(Object.keys(msb)).toEqual([
      'images',
      'snapshots',
      'sandboxes',
      'volumes',
      'branch_memory',
      'snapshot_memory',
      'notes'
    ])
    const cat = msb.volumes as Record<string, unknown>
    expect(Object.keys(cat)).toEqual([
      'count',
      'in_use',
      'logical_bytes',
      'allocated_bytes',
      'reclaimable_logical_bytes',
      'items',
      'notes'
    ])
    // Regular files only, the hard link once, the symlink skipped and said.
    expect(cat.logical_bytes).toBe(70_000)
    expect(cat.notes).toEqual(['Skipped 1 symlink or special-file entries; their targets are excluded.'])
    const sandboxes = msb.sandboxes as { count: number; logical_bytes: number; items: { name: string; path: string }[] }
    expect(sandboxes.count).toBe(1)
    expect(sandboxes.logical_bytes).toBe(64 * 1024 * 1024 + 900)
    expect(sandboxes.items.map((i) => [i.name, i.path])).toEqual([
      ['job-runner', join(home, 'sandboxes', 'job-runner')]
    ])
    const images = msb.images as { count: number; items: { name: string }[] }
    expect(images.count).toBe(9)
    expect(images.items.map((i) => i.name)).toEqual(['layers', 'fsmeta', 'vmdk', 'flat', 'manifests', 'tmp'])
    expect((msb.branch_memory as { count: number; logical_bytes: number }).logical_bytes).toBe(8192)
    expect((msb.snapshot_memory as { count: number }).count).toBe(1)
  })

  it('after a force remove, the data a sandbox still holds is shown as held by it, in usage and df', async () => {
    const copy = join(dir, 'held')
    execFileSync('cp', ['-a', home, copy])
    const cache = openCache({ home: copy })
    cache.remove({ references: ['localhost/job:1'], force: true })
    const usage = cache.usage()
    cache.close()
    expect(usage.held).toHaveLength(1)
    expect(usage.held[0].sandboxes.map((s) => s.name)).toEqual(['job-runner'])
    expect(usage.held[0].bytes).toBeGreaterThan(0)
    const r = await runCli(['df', '--home', copy])
    expect(r.stdout).toMatch(/Held by sandbox job-runner: .* \(no reference left; freed when they go\)/)
  })
})
