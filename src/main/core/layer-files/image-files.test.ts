// The file browser against independent oracles, on layers the real msb 0.6.18 built from tars the fixtures wrote:
// every layer against its tar and against Debian's dump.erofs, the merged view against the OCI layer rules applied
// to the tars, dive's efficiency against dive's algorithm run over the tars, and a check that reading changes
// nothing in the cache.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageFiles } from '../../../shared/contract'
import { filesJson } from '../../cli/files-output'
import { startServer } from '../../serve/http-server'
import { buildCache } from '../../demo/build-cache'
import { fileSnapshot } from '../../../../test-support/fixtures/cache-snapshot'
import { diveEfficiency } from '../../../../test-support/fixtures/dive-oracle'
import { FILE_LAYERS, realTreeEntries } from '../../../../test-support/fixtures/file-scenarios'
import { buildOciImage, type LayerSpec } from '../../demo/oci-archive'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { expectedFromTar, comparable, mergedFromTars } from '../../../../test-support/fixtures/layer-oracle'
import { readTar, type TarRecord } from '../../../../test-support/fixtures/tar-reader'
import { type Cache, openCache } from '../cache'
import { ErofsImage } from '../erofs/erofs-image'
import { type TreeEntry, walkImage } from '../erofs/layer-tree'
import { layerFileName } from '../homes/file-names'

const REAL_LAYER: LayerSpec = {
  seed: 'real-usr-share',
  sizeBytes: 0,
  entries: realTreeEntries('/usr/share', 'usr/share', 2500)
}
/**
 * A layer whose tar has `.wh..wh..opq` at its top. The OCI rules would hide everything below it; msb's merged image
 * (fsmeta), which sandboxes mount, does not, and the explorer shows what sandboxes see.
 */
const ROOT_OPAQUE_LAYER: LayerSpec = {
  seed: 'root-opaque',
  sizeBytes: 0,
  entries: [
    { name: '.wh..wh..opq', type: 'file', data: Buffer.alloc(0) },
    { name: 'fresh', type: 'file', data: Buffer.from('abc') },
    // A whiteout of a path no lower layer has: it deletes nothing and is no entry of the image.
    { name: '.wh.never-existed', type: 'file', data: Buffer.alloc(0) }
  ]
}
const IMAGES = {
  'files:1': FILE_LAYERS,
  'real:1': [REAL_LAYER, ...FILE_LAYERS],
  'root-opaque:1': [FILE_LAYERS[0], ROOT_OPAQUE_LAYER]
}

let home: string
let cache: Cache
/** Per reference: each layer's diff id and tar records, bottom first. */
const layersOf = new Map<string, { diffId: string; records: TarRecord[] }[]>()

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ice-files-'))
  buildCache(
    home,
    Object.entries(IMAGES).map(([reference, layers]) => ({ reference, image: { layers } }))
  )
  for (const [reference, layers] of Object.entries(IMAGES)) {
    const built = buildOciImage({ layers })
    layersOf.set(
      reference,
      built.info.layers.map((l) => ({ diffId: l.diffId, records: readTar(gunzipSync(built.blobs.get(l.blobDigest)!)) }))
    )
  }
  cache = openCache({ home })
})
afterAll(() => {
  cache?.close()
  rmSync(home, { recursive: true, force: true })
})

function layerPath(diffId: string): string {
  return join(home, 'cache', 'layers', layerFileName(diffId)!)
}

function walk(diffId: string): TreeEntry[] {
  const image = ErofsImage.open(layerPath(diffId))
  try {
    return walkImage(image).entries
  } finally {
    image.close()
  }
}

function allLayers(): { diffId: string; records: TarRecord[] }[] {
  const seen = new Map<string, { diffId: string; records: TarRecord[] }>()
  for (const ls of layersOf.values()) for (const l of ls) seen.set(l.diffId, l)
  return [...seen.values()]
}

describe('each layer, read from the EROFS file msb built', () => {
  it('lists exactly the entries of its tar, with sizes, modes, owners, targets, devices and overlay markers', () => {
    for (const { diffId, records } of allLayers()) {
      const entries = walk(diffId)
      const actual = new Map(entries.map((e) => [e.path, comparable(e)]))
      expect(actual).toEqual(expectedFromTar(records))
    }
  })

  it('gives a hard link the same inode under both names', () => {
    const base = layersOf.get('files:1')![0]
    const entries = walk(base.diffId)
    const tool = entries.find((e) => e.path === '/bin/tool')!
    const tool2 = entries.find((e) => e.path === '/bin/tool2')!
    expect(tool2.nid).toBe(tool.nid)
    expect(tool.nlink).toBe(2)
  })

  it('agrees with dump.erofs on every directory listing and on every inode of the scenario layers', () => {
    for (const { diffId } of allLayers()) {
      const file = layerPath(diffId)
      const entries = walk(diffId)
      const dirs = ['/', ...entries.filter((e) => e.type === 'dir').map((e) => e.path)]
      const listings = dumpEach(file, dirs, ['--ls']).map(parseLs)
      for (const [i, dir] of dirs.entries()) {
        const listed = listings[i]
        const ours = entries
          .filter((e) => e.path.slice(0, e.path.lastIndexOf('/')) === (dir === '/' ? '' : dir))
          .map((e) => ({ nid: e.nid, name: e.path.slice(e.path.lastIndexOf('/') + 1) }))
        expect(ours.sort(byName), `${diffId} ${dir}`).toEqual(listed.sort(byName))
      }
      // Inode details for every entry of the small layers, a sample of the real tree.
      const sample = entries.length > 200 ? entries.filter((_, i) => i % 17 === 0) : entries
      const inodes = dumpEach(
        file,
        sample.map((e) => e.path),
        []
      ).map(parseInode)
      for (const [i, e] of sample.entries()) {
        const d = inodes[i]
        if (e.type === 'dir') d.size = 0 // the explorer gives directories no size of their own, as overlayfs tools do
        // dump.erofs prints only the permission bits (setuid is checked against the tar above).
        expect({
          path: e.path,
          nid: e.nid,
          size: e.size,
          uid: e.uid,
          gid: e.gid,
          mode: e.mode & 0o777,
          nlink: e.nlink
        }).toEqual({
          path: e.path,
          ...d
        })
      }
    }
  })
})

/** EROFS directory-entry file types (erofs_fs.h), as dump.erofs prints them. */
const FT = ['unknown', 'file', 'dir', 'char', 'block', 'fifo', 'socket', 'symlink']

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/**
 * dump.erofs `options --path=P file` for each path, in order: run from one shell, since a spawn from
 * this (large) test process costs many times what dump.erofs itself does, and a layer has hundreds.
 */
function dumpEach(file: string, paths: string[], options: string[]): string[] {
  const script =
    'file=$1; shift; opts=(); while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift; ' +
    'for p do printf "\\036"; dump.erofs "${opts[@]}" "--path=$p" "$file" || exit 1; done'
  const out = execFileSync('bash', ['-c', script, 'bash', file, ...options, '--', ...paths], {
    encoding: 'utf8',
    maxBuffer: 1 << 28
  })
  const outputs = out.split('\x1e').slice(1)
  expect(outputs).toHaveLength(paths.length)
  return outputs
}

function parseLs(out: string): { nid: number; name: string }[] {
  const rows: { nid: number; name: string }[] = []
  let inTable = false
  for (const line of out.split('\n')) {
    if (/^\s*NID TYPE\s+FILENAME/.test(line)) {
      inTable = true
      continue
    }
    const m = inTable ? /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line) : null
    if (m && m[3] !== '.' && m[3] !== '..') rows.push({ nid: Number(m[1]), name: m[3] })
  }
  return rows
}

function parseInode(out: string): { nid: number; size: number; uid: number; gid: number; mode: number; nlink: number } {
  const num = (re: RegExp) => Number(re.exec(out)?.[1])
  return {
    nid: num(/NID:\s*(\d+)/),
    size: num(/Size:\s*(\d+)/),
    uid: num(/Uid:\s*(\d+)/),
    gid: num(/Gid:\s*(\d+)/),
    mode: parseInt(/Access:\s*([0-7]+)/.exec(out)![1], 8),
    nlink: num(/Links:\s*(\d+)/)
  }
}

describe('the merged view of an image', () => {
  it('equals the OCI layer rules applied to the layer tars, with the layer each path comes from', () => {
    for (const reference of Object.keys(IMAGES)) {
      const layers = layersOf.get(reference)!
      // msb ignores an opaque marker at the root (see ROOT_OPAQUE_LAYER); every other rule is the OCI one.
      const expected = mergedFromTars(layers.map((l) => l.records.filter((r) => r.path !== '/.wh..wh..opq')))
      const files = cache.imageFiles({ reference })
      const actual = [...(filesJson(files) as object[])].sort((a, b) =>
        (a as { path: string }).path < (b as { path: string }).path ? -1 : 1
      )
      expect(actual).toEqual(expected)
    }
  })

  it("equals msb's own merged metadata image (fsmeta), read by dump.erofs with the layers as devices", () => {
    for (const reference of Object.keys(IMAGES)) {
      const files = cache.imageFiles({ reference })
      const fsmeta = join(home, 'cache', 'fsmeta', `${files.manifestDigest!.replace(':', '_')}.erofs`)
      const devices = layersOf.get(reference)!.map((l) => `--device=${layerPath(l.diffId)}`)
      const byDir = new Map<string, { name: string; type: string }[]>()
      for (const r of files.entries) {
        const parent = r.path.slice(0, r.path.lastIndexOf('/')) || '/'
        byDir.set(parent, [
          ...(byDir.get(parent) ?? []),
          { name: r.path.slice(r.path.lastIndexOf('/') + 1), type: r.type }
        ])
      }
      const dirs = ['/', ...files.entries.filter((r) => r.type === 'dir').map((r) => r.path)]
      const sample = dirs.length > 120 ? dirs.filter((_, i) => i % 7 === 0) : dirs
      const outputs = dumpEach(fsmeta, sample, [...devices, '--ls'])
      for (const [i, dir] of sample.entries()) {
        const listed = [...outputs[i].matchAll(/^\s*\d+\s+(\d)\s+(.+)$/gm)]
          .filter((m) => m[2] !== '.' && m[2] !== '..')
          .map((m) => ({ name: m[2], type: FT[Number(m[1])] }))
        expect((byDir.get(dir) ?? []).sort(byName), `${reference} ${dir}`).toEqual(listed.sort(byName))
      }
    }
  })

  it('lists parents before children and totals each directory', () => {
    const files = cache.imageFiles({ reference: 'files:1' })
    const index = new Map(files.entries.map((r, i) => [r.path, i]))
    for (const [path, i] of index) {
      const parent = path.slice(0, path.lastIndexOf('/'))
      if (parent) expect(index.get(parent)!).toBeLessThan(i)
    }
    const usr = files.entries.find((r) => r.path === '/usr')!
    expect(usr.totalBytes).toBe(1024 * 1024) // libfoo rewritten at 1 MiB; usr/empty is 0, new-in-middle deleted
    expect(files.biggest[0]).toMatchObject({ path: '/usr/lib/libfoo.so.1', size: 1024 * 1024, layer: 1 })
    // A hard link's data counts once in a total: /bin of the base holds tool (10,000), tool2 (the same inode), suid.
    const base = cache.imageFiles({ reference: 'files:1', layer: 0 })
    expect(base.entries.find((r) => r.path === '/bin')!.totalBytes).toBe(10_300)
    expect(base.entries.find((r) => r.path === '/bin/tool2')).toMatchObject({ size: 10_000, nlink: 2 })
  })
})

describe("each layer's changes", () => {
  const changes = (files: ImageFiles) => Object.fromEntries(files.entries.map((r) => [r.path, `${r.change} ${r.type}`]))

  it('tells added, modified, deleted (with the type of what is deleted) and opaque apart', () => {
    const middle = changes(cache.imageFiles({ reference: 'files:1', layer: 1 }))
    expect(middle).toMatchObject({
      '/bin/tool': 'modified file',
      '/bin/ln': 'modified symlink',
      '/etc/a.conf': 'deleted file',
      '/etc/gone': 'deleted dir',
      '/etc/keep': 'opaque dir',
      '/etc/keep/z': 'added file',
      '/opt/thing': 'modified file',
      '/usr/new-in-middle': 'added file'
    })
    expect(middle['/etc/gone/g1']).toBeUndefined()
    const top = changes(cache.imageFiles({ reference: 'files:1', layer: 2 }))
    expect(top).toMatchObject({
      '/bin/tool2': 'deleted file',
      '/etc/a.conf': 'added file',
      '/usr/new-in-middle': 'deleted file'
    })
    const summary = cache.imageFiles({ reference: 'files:1', layer: 0 }).layers
    expect(summary.map((l) => [l.deleted, l.opaque])).toEqual([
      [0, 0],
      [2, 1],
      [2, 0]
    ])
    expect(summary.every((l) => l.erofsBytes !== null && l.erofsBytes % 4096 === 0)).toBe(true)
  })

  it('answers over HTTP as in process, and refuses a layer the image does not have', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'ice-files-static-'))
    const server = await startServer({ api: cache, staticDir })
    try {
      const post = (args: unknown) =>
        fetch(`http://127.0.0.1:${server.port}/api/imageFiles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
          body: JSON.stringify(args)
        })
      const ok = await post({ reference: 'files:1', layer: 2 })
      expect(ok.status).toBe(200)
      expect(JSON.stringify(await ok.json())).toContain('"change":"deleted"')
      for (const layer of [3, -1, 1.5]) {
        const bad = await post({ reference: 'files:1', layer })
        expect(bad.status).toBe(400)
        expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('InvalidArgument')
      }
    } finally {
      await server.close()
      rmSync(staticDir, { recursive: true, force: true })
    }
  })

  it('the CLI prints the same rows: files REF [--layer N] [--json]', async () => {
    const layer = await runCli(['files', 'files:1', '--layer', '1', '--json', '--home', home])
    expect(layer.code).toBe(0)
    expect(JSON.parse(layer.stdout)).toEqual(filesJson(cache.imageFiles({ reference: 'files:1', layer: 1 })))
    const merged = await runCli(['files', 'files:1', '--json', '--home', home])
    expect(JSON.parse(merged.stdout)).toEqual(filesJson(cache.imageFiles({ reference: 'files:1' })))
    const human = await runCli(['files', 'files:1', '--layer', '1', '--home', home])
    expect(human.stdout).toMatch(/deleted\s+\/etc\/gone/)
    expect(human.stdout).toMatch(/2 deleted, 1 opaque/)
    const bad = await runCli(['files', 'files:1', '--layer', 'top', '--home', home])
    expect(bad.code).toBe(2)
    const missing = await runCli(['files', 'nope:1', '--home', home])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/not found/)
  })

  it('prints the CLI JSON shapes of the issue, key for key', () => {
    const layer = filesJson(cache.imageFiles({ reference: 'files:1', layer: 1 })) as object[]
    for (const row of layer) expect(Object.keys(row)).toEqual(['path', 'type', 'size', 'change'])
    const merged = filesJson(cache.imageFiles({ reference: 'files:1' })) as object[]
    for (const row of merged) {
      const keys = Object.keys(row)
      expect(keys).toEqual(
        'target' in row
          ? ['path', 'type', 'size', 'mode', 'uid', 'gid', 'target', 'layer']
          : ['path', 'type', 'size', 'mode', 'uid', 'gid', 'layer']
      )
    }
  })
})

describe('where the bytes go', () => {
  it("gives dive's efficiency and wasted bytes, as dive's algorithm computes them from the tars", () => {
    for (const reference of Object.keys(IMAGES)) {
      const oracle = diveEfficiency(layersOf.get(reference)!.map((l) => l.records))
      const { waste } = cache.imageFiles({ reference })
      expect(waste.efficiency).toBeCloseTo(oracle.efficiency, 12)
      expect(waste.wastedBytes).toBe(oracle.wastedBytes)
      expect(new Map(waste.paths.map((p) => [p.path, p.cumulativeBytes]))).toEqual(oracle.paths)
    }
  })

  it('lists the writes behind each wasted path: who wrote it, what it did, what is hidden, attribute-only rewrites', () => {
    const { waste } = cache.imageFiles({ reference: 'files:1' })
    const byPath = new Map(waste.paths.map((p) => [p.path, p]))
    expect(byPath.get('/bin/tool')!.writes).toEqual([
      { layer: 0, action: 'added', bytes: 10_000, hidden: true, attributesOnly: false },
      { layer: 1, action: 'modified', bytes: 10_000, hidden: false, attributesOnly: true }
    ])
    expect(byPath.get('/etc/a.conf')!.writes.map((w) => [w.layer, w.action, w.hidden])).toEqual([
      [0, 'added', true],
      [1, 'deleted', false],
      [2, 'added', false]
    ])
    expect(byPath.get('/usr/lib/libfoo.so.1')!.hiddenBytes).toBe(3 * 1024 * 1024 + 17)
    // Unreachable bytes: libfoo's first copy, tool's first copy, a.conf, everything under etc/gone and under the
    // opaque etc/keep, the replaced opt/thing directory, new-in-middle, and tool2's name (a hard link: 0 bytes).
    expect(waste.hiddenBytes).toBe(3 * 1024 * 1024 + 17 + 10_000 + 5 + 3000 + 7000 + 1 + 5000 + 4096 + 2048)
  })
})

describe('safety', () => {
  it('never changes a byte or an mtime in the cache while reading', () => {
    cache.close()
    const before = fileSnapshot(home)
    const fresh = openCache({ home })
    try {
      for (const [reference, layers] of Object.entries(IMAGES)) {
        fresh.imageFiles({ reference })
        for (let i = 0; i < layers.length; i++) fresh.imageFiles({ reference, layer: i })
      }
    } finally {
      fresh.close()
    }
    expect(fileSnapshot(home)).toEqual(before)
    cache = openCache({ home })
  })

  it('reports a truncated, missing or symlinked layer file on that layer and still reads the others', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'ice-files-bad-'))
    try {
      cpSync(home, copy, { recursive: true })
      const [base, middle, top] = layersOf.get('files:1')!
      const path = (d: string) => join(copy, 'cache', 'layers', layerFileName(d)!)
      truncateSync(path(middle.diffId), 8192)
      unlinkSync(path(top.diffId))
      const outside = join(copy, 'outside.erofs')
      writeFileSync(outside, 'not a layer')
      symlinkSync(outside, path(top.diffId))
      const bad = openCache({ home: copy })
      try {
        const files = bad.imageFiles({ reference: 'files:1' })
        expect(files.layers[0].error).toBeNull()
        expect(files.layers[1].error).toMatch(/corrupt EROFS image: .*past the end/)
        expect(files.layers[2].error).toMatch(/symlink/)
        expect(files.entries.some((r) => r.path === '/bin/tool2')).toBe(true)
        expect(() => bad.imageFiles({ reference: 'files:1', layer: 1 })).toThrow(/layer 1: corrupt EROFS image/)
        expect(base).toBeDefined()
      } finally {
        bad.close()
      }
      // The CLI's merged view says which layers it could not read and fails (issue 26: it printed the rest and exited 0).
      for (const json of [false, true]) {
        const r = await runCli(['files', 'files:1', '--home', copy, ...(json ? ['--json'] : [])])
        expect(r.code).toBe(1)
        expect(r.stderr).toContain(`error: layer 1 (${middle.diffId}) could not be read: corrupt EROFS image`)
        expect(r.stderr).toContain(`error: layer 2 (${top.diffId}) could not be read`)
        expect(r.stderr).not.toContain('layer 0')
      }
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })
})
