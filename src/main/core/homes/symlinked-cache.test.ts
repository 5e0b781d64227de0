// Caches whose folders live elsewhere through a symlink (people move big folders to another disk that
// way): the explorer follows a symlinked cache root or content folder as msb does, and its prune and
// remove reports say what really left the disk. Each case runs msb's prune on one copy and the
// explorer's on an identical copy, and compares the two. The Files tab reads the layers through the
// symlink too. A symlink planted inside a content folder is never followed.
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { runMsb } from '../../demo/msb'
import { openCache } from '../cache'
import { writeOciArchive } from '../../demo/oci-archive'

let root: string
/** Another filesystem when there is one (tmpfs), so moving a file aside cannot be a plain rename. */
let otherDisk: string
let archives: [string, string]

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-symlinks-'))
  otherDisk = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/ice-symlinks-') : mkdtempSync(join(root, 'other-'))
  archives = [join(root, 'one.tar'), join(root, 'two.tar')]
  // Two images sharing a base layer.
  writeOciArchive(archives[0], [
    {
      layers: [
        { seed: 'base', sizeBytes: 8192 },
        { seed: 'one', sizeBytes: 4096 }
      ],
      config: { cmd: ['sh'] }
    }
  ])
  writeOciArchive(archives[1], [
    {
      layers: [
        { seed: 'base', sizeBytes: 8192 },
        { seed: 'two', sizeBytes: 4096 }
      ],
      config: { cmd: ['sh'] }
    }
  ])
})
afterAll(() => {
  for (const dir of [root, otherDisk]) if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A home with two images, its `what` (a content folder, or the whole cache) moved to `target` and symlinked back. */
function home(name: string, what: 'layers' | 'fsmeta' | 'cache', target: string): string {
  const dir = join(root, name)
  // Byte-identical copies of one home, so msb's and the explorer's byte counts can be compared.
  cpSync(template(), dir, { recursive: true })
  const from = what === 'cache' ? join(dir, 'cache') : join(dir, 'cache', what)
  mkdirSync(join(target, '..'), { recursive: true })
  moveDir(from, target)
  symlinkSync(target, from)
  return dir
}

let built: string | undefined
function template(): string {
  if (built) return built
  built = join(root, 'template')
  runMsb(built, ['load', '-q', '-i', archives[0], '-t', 'localhost/pair:1'])
  runMsb(built, ['load', '-q', '-i', archives[1], '-t', 'localhost/other:1'])
  return built
}

/** rename, or copy and delete across filesystems. */
function moveDir(from: string, to: string): void {
  try {
    renameSync(from, to)
  } catch {
    mkdirSync(to, { recursive: true })
    for (const name of readdirSync(from)) {
      const src = join(from, name)
      if (lstatSync(src).isDirectory()) moveDir(src, join(to, name))
      else writeFileSync(join(to, name), readFileSync(src))
    }
    rmSync(from, { recursive: true })
  }
}

// Lock files and the lease folder (.msb-leases, which the explorer's leases make on every home) are not content.
function contentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.lock') && f !== '.msb-leases')
    .sort()
}

describe.each([
  ['cache/layers is a symlink to another disk', 'layers' as const],
  ['cache/fsmeta is a symlink to another disk', 'fsmeta' as const],
  ['cache/ itself is a symlink to another disk', 'cache' as const]
])('%s', (label, what) => {
  it('prune --yes --json prints what msb prints, and both leave the same files', async () => {
    const slug = label.replace(/\W+/g, '-')
    const msbHome = home(`${slug}-msb`, what, join(otherDisk, `${slug}-msb`))
    const ourHome = home(`${slug}-ours`, what, join(otherDisk, `${slug}-ours`))
    const folder = what === 'cache' ? 'layers' : what
    const before = contentFiles(join(ourHome, 'cache', folder))
    expect(before.length).toBeGreaterThan(0)

    const theirs = runMsb(msbHome, ['image', 'prune', '--yes', '--format', 'json']).stdout
    const ours = await runCli(['prune', '--yes', '--json', '--home', ourHome])
    expect(ours.code).toBe(0)
    expect(ours.stdout).toBe(theirs)
    expect(JSON.parse(ours.stdout).bytes_reclaimed).toBeGreaterThan(0)
    for (const dir of ['layers', 'fsmeta', 'vmdk', 'manifests']) {
      expect(contentFiles(join(ourHome, 'cache', dir))).toEqual(contentFiles(join(msbHome, 'cache', dir)))
    }
    expect(contentFiles(join(ourHome, 'cache', folder))).toEqual([])
    // Still a symlink to the same place, with nothing of ours left behind.
    expect(lstatSync(join(ourHome, 'cache', what === 'cache' ? '' : what).replace(/\/$/, '')).isSymbolicLink()).toBe(
      true
    )
    const trash = join(ourHome, 'cache', 'tmp', 'explorer-trash')
    expect(existsSync(trash) ? readdirSync(trash) : []).toEqual([])
  })

  it("the Files tab lists the image's files as in a home without the symlink", () => {
    const slug = `${label.replace(/\W+/g, '-')}-files`
    const dir = home(slug, what, join(otherDisk, slug))
    const files = (h: string) => {
      const cache = openCache({ home: h })
      try {
        return cache.imageFiles({ reference: 'localhost/pair:1' })
      } finally {
        cache.close()
      }
    }
    const plain = files(template())
    const linked = files(dir)
    expect(plain.entries.length).toBeGreaterThan(0)
    // The layers first: a layer that could not be read says why there (its `error`).
    expect(linked.layers).toEqual(plain.layers)
    expect(linked.entries).toEqual(plain.entries)
  })

  it('rm reports the bytes that really left the disk, with no differences', async () => {
    const slug = `${label.replace(/\W+/g, '-')}-rm`
    const dir = home(slug, what, join(otherDisk, slug))
    const r = await runCli(['rm', '--json', '--home', dir, 'localhost/pair:1', 'localhost/other:1'])
    expect(r.code).toBe(0)
    // Both references go in one removal: one report.
    const { result } = JSON.parse(r.stdout) as { result: { bytesReclaimed: number; differences: string[] } }
    expect(result.differences).toEqual([])
    expect(result.bytesReclaimed).toBeGreaterThan(8192)
    for (const d of ['layers', 'fsmeta', 'vmdk', 'manifests']) expect(contentFiles(join(dir, 'cache', d))).toEqual([])
    // Nothing is left for a dangling prune to find.
    const again = await runCli(['prune', '--dangling', '--dry-run', '--json', '--home', dir])
    expect(JSON.parse(again.stdout).files).toEqual([])
  })
})

describe('a symlink planted inside a content folder', () => {
  it('is removed itself; the file it points at stays and is not counted', async () => {
    const dir = join(root, 'planted')
    runMsb(dir, ['load', '-q', '-i', archives[0], '-t', 'localhost/pair:1'])
    const layers = join(dir, 'cache', 'layers')
    const victim = readdirSync(layers).find((f) => f.endsWith('.erofs'))!
    const outside = join(root, 'precious.bin')
    writeFileSync(outside, Buffer.alloc(1_000_000, 7))
    rmSync(join(layers, victim))
    symlinkSync(outside, join(layers, victim))
    const plan = await runCli(['prune', '--dry-run', '--json', '--home', dir])
    const planned = JSON.parse(plan.stdout) as { files: { path: string; bytes: number }[]; totalBytes: number }
    expect(planned.files.find((f) => f.path === `layers/${victim}`)?.bytes).toBe(0)
    const r = await runCli(['prune', '--yes', '--json', '--home', dir])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).bytes_reclaimed).toBe(planned.totalBytes)
    expect(existsSync(join(layers, victim))).toBe(false)
    expect(readFileSync(outside).length).toBe(1_000_000)
  })
})
