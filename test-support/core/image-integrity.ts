// Is every image msb lists whole? Asked of msb itself (`msb image ls`, `msb image inspect`) and of the
// files its rows need: each layer's `layers/<diff>.erofs`, the manifest's `fsmeta/<m>.erofs` and
// `vmdk/<m>.vmdk`. Used after crashes and concurrent runs, where a lost file would show up as a row
// that points at nothing.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { msbJson, runMsb } from '../../src/main/demo/msb'
import { digestFileStem } from '../../src/main/core/homes/digest'
import { metadataKey } from '../../src/main/core/homes/reference-key'
import { cacheFiles } from './cache-dump'

interface InspectJson {
  digest: string
  layers: { diff_id: string }[]
}

export interface BrokenImage {
  reference: string
  problems: string[]
}

export interface IntegrityReport {
  references: string[]
  broken: BrokenImage[]
}

/** Checks every reference `msb image ls` prints (or only those of `only` among them). */
export function checkImages(home: string, only?: string[], cache = join(home, 'cache')): IntegrityReport {
  const listed = msbJson<{ reference: string }[]>(home, ['image', 'ls']).map((i) => i.reference)
  const references = only ? listed.filter((r) => only.includes(r)) : listed
  const broken: BrokenImage[] = []
  for (const reference of references) {
    const problems: string[] = []
    const r = runMsb(home, ['image', 'inspect', reference, '--format', 'json'], { allowFail: true })
    if (r.status !== 0) {
      broken.push({ reference, problems: [`msb image inspect failed: ${r.stderr.trim()}`] })
      continue
    }
    const detail = JSON.parse(r.stdout) as InspectJson
    const need = (path: string) => {
      if (!existsSync(join(cache, path))) problems.push(`missing ${path}`)
    }
    for (const l of detail.layers) need(`layers/${digestFileStem(l.diff_id)}.erofs`)
    const m = digestFileStem(detail.digest)
    need(`fsmeta/${m}.erofs`)
    need(`vmdk/${m}.vmdk`)
    if (problems.length > 0) broken.push({ reference, problems })
  }
  return { references, broken }
}

/**
 * Files the rows need that are missing, whether or not a reference shows them (a manifest a sandbox
 * holds after its last reference went, or one a retag left): each `layer` row's file, each `manifest`
 * row's fsmeta and vmdk.
 */
export function missingFiles(home: string, cache = join(home, 'cache')): string[] {
  const db = new Database(join(home, 'db', 'msb.db'), { readonly: true, fileMustExist: true })
  let needed: string[]
  try {
    const layers = db.prepare('SELECT diff_id FROM layer').pluck().all() as string[]
    const manifests = db.prepare('SELECT digest FROM manifest').pluck().all() as string[]
    needed = [
      ...layers.map((d) => `layers/${digestFileStem(d)}.erofs`),
      ...manifests.flatMap((d) => [`fsmeta/${digestFileStem(d)}.erofs`, `vmdk/${digestFileStem(d)}.vmdk`])
    ]
  } finally {
    db.close()
  }
  return needed.filter((p) => !existsSync(join(cache, p)))
}

/**
 * Files under cache/ that no row needs: layer files without a `layer` row, fsmeta/vmdk without a
 * `manifest` row, metadata without a reference that normalises to its key, anything in tmp/ (an
 * unfinished removal journal). Lock files are not content and are left out.
 */
/**
 * With `untaggedMetadata` (msb 0.7.3+ homes) a metadata JSON whose `manifest_digest` names a manifest row is
 * needed too: msb 0.7.3+'s `rm --force` of a pinned image untags it and keeps that JSON while the image is
 * retained (sdk/rust/lib/image/cleanup.rs @3129f858, `retained_generation`), and so does the explorer.
 */
export function unreferencedFiles(home: string, options: { untaggedMetadata?: boolean } = {}): string[] {
  const db = new Database(join(home, 'db', 'msb.db'), { readonly: true, fileMustExist: true })
  let layers: Set<string | null>, manifests: Set<string | null>, keys: Set<string | null>
  try {
    layers = new Set((db.prepare('SELECT diff_id FROM layer').pluck().all() as string[]).map(digestFileStem))
    manifests = new Set((db.prepare('SELECT digest FROM manifest').pluck().all() as string[]).map(digestFileStem))
    keys = new Set((db.prepare('SELECT reference FROM image_ref').pluck().all() as string[]).map(metadataKey))
  } finally {
    db.close()
  }
  const out: string[] = []
  for (const { path } of cacheFiles(home)) {
    if (path.endsWith('.lock')) continue
    const [dir, name] = path.split('/')
    const stem = name?.replace(/\.(erofs|vmdk|json)$/, '') ?? ''
    const needed =
      (dir === 'layers' && layers.has(stem)) ||
      ((dir === 'fsmeta' || dir === 'vmdk') && manifests.has(stem)) ||
      (dir === 'manifests' && keys.has(stem)) ||
      (dir === 'manifests' && !!options.untaggedMetadata && manifests.has(digestFileStem(digestInside(home, path))))
    if (!needed) out.push(path)
  }
  return out
}

function digestInside(home: string, path: string): string {
  try {
    return String(
      (JSON.parse(readFileSync(join(home, 'cache', path), 'utf8')) as { manifest_digest?: unknown }).manifest_digest
    )
  } catch {
    return ''
  }
}
