// The build steps behind an image (`docker history`): msb keeps the image's OCI config verbatim in its
// metadata file, `manifests/<key>.json` → `raw_config_json`, and the config's `history` lists every
// step of the build, oldest first. Steps marked `empty_layer` (ENV, CMD, …) made no layer; the others
// made the layers in order, bottom first. That pairing is only trusted when the numbers agree: a
// config whose layer-making steps do not number the image's layers gets its steps listed and no layer
// labelled, since a guess would name the wrong instruction for a layer.
import { lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { HistoryStep, ImageDetail, ImageHistory } from '../../../shared/contract'
import { contentDirectory } from '../homes/cache-paths'
import { metadataName } from '../homes/file-names'

/** msb's records are a few kilobytes; anything far larger is not one. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024

/** The parsed OCI config msb stored for `reference`, if its metadata file describes `manifestDigest`. */
export function readStoredConfig(
  cacheDir: string,
  reference: string,
  manifestDigest: string | null
): { config: Record<string, unknown> } | { problem: string } {
  const name = metadataName(reference)
  const dir = contentDirectory(cacheDir, 'manifests')
  if (name === null || dir === null) return { problem: 'msb keeps no metadata file for this image' }
  const file = join(dir, name)
  let record: unknown
  try {
    const st = lstatSync(file)
    if (!st.isFile() || st.size > MAX_RECORD_BYTES) return { problem: `manifests/${name} is not msb's metadata file` }
    record = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return {
      problem: missing ? `msb's metadata file manifests/${name} is missing` : `manifests/${name} cannot be read`
    }
  }
  if (!isObject(record)) return { problem: `manifests/${name} cannot be read` }
  // Another reference msb reads as the same name may have rewritten the file for another manifest.
  if (manifestDigest !== null && record.manifest_digest !== manifestDigest)
    return { problem: `manifests/${name} describes another manifest (${String(record.manifest_digest)})` }
  if (typeof record.raw_config_json !== 'string') return { problem: `manifests/${name} holds no image config` }
  try {
    const config: unknown = JSON.parse(record.raw_config_json)
    return isObject(config) ? { config } : { problem: `the image config in manifests/${name} is not an object` }
  } catch {
    return { problem: `the image config in manifests/${name} is not JSON` }
  }
}

/** The history of the image `detail` describes (its layers from the database, the steps from the file). */
export function imageHistory(cacheDir: string, detail: ImageDetail): ImageHistory {
  const { reference, manifestDigest } = detail.handle
  const layerCount = detail.layers.length
  const base = { reference, manifestDigest, builtAt: null, steps: [], layerSteps: Array(layerCount).fill(null) }
  if (manifestDigest === null)
    return { ...base, state: 'no-metadata', note: 'No build history: the reference points at no manifest.' }
  const stored = readStoredConfig(cacheDir, reference, manifestDigest)
  if ('problem' in stored) return { ...base, state: 'no-metadata', note: `No build history: ${stored.problem}.` }
  const builtAt = stringOrNull(stored.config.created)
  const raw = stored.config.history
  if (!Array.isArray(raw) || raw.length === 0)
    return { ...base, builtAt, state: 'no-history', note: 'No build history: the image config lists no steps.' }
  const steps: HistoryStep[] = raw.map((entry, index) => {
    const e = isObject(entry) ? entry : {}
    const createdBy = stringOrNull(e.created_by)
    return {
      index,
      created: stringOrNull(e.created),
      createdBy,
      instruction: trimInstruction(createdBy ?? ''),
      comment: stringOrNull(e.comment),
      author: stringOrNull(e.author),
      emptyLayer: e.empty_layer === true,
      layer: null
    }
  })
  const making = steps.filter((s) => !s.emptyLayer)
  if (making.length !== layerCount) {
    const note =
      `The config lists ${making.length} ${making.length === 1 ? 'step' : 'steps'} that made a layer for ` +
      `${layerCount} ${layerCount === 1 ? 'layer' : 'layers'}: layers are shown by position, not matched to steps.`
    return { ...base, builtAt, steps, state: 'mismatch', note }
  }
  making.forEach((step, position) => (step.layer = position))
  return { ...base, builtAt, steps, state: 'matched', note: null, layerSteps: making.map((s) => s.index) }
}

/** The config's `created` (when the image was built), or null. */
export function builtAtOf(cacheDir: string, reference: string, manifestDigest: string | null): string | null {
  if (manifestDigest === null) return null
  const stored = readStoredConfig(cacheDir, reference, manifestDigest)
  return 'config' in stored ? stringOrNull(stored.config.created) : null
}

/**
 * The instruction without the shell noise Docker's views trim: the legacy builder's
 * `/bin/sh -c #(nop) ` before metadata steps, its `/bin/sh -c ` before a RUN (shown as `RUN …`), and
 * BuildKit's `/bin/sh -c ` after `RUN` and ` # buildkit` at the end. Tabs and runs of spaces become one space.
 */
export function trimInstruction(createdBy: string): string {
  let s = createdBy.replace(/\s+/g, ' ').trim()
  s = s.replace(/ # buildkit$/, '')
  const nop = /^\/bin\/sh -c #\(nop\) ?/
  if (nop.test(s)) return s.replace(nop, '').trim()
  // Legacy RUN with build arguments: `|2 A=1 B=2 /bin/sh -c make`.
  const legacyRun = /^(?:\|\d+ (?:\S+=\S* )*)?\/bin\/sh -c /
  if (legacyRun.test(s)) return `RUN ${s.replace(legacyRun, '')}`.trim()
  return s.replace(/^RUN (?:\|\d+ (?:\S+=\S* )*)?\/bin\/sh -c /, 'RUN ')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}
