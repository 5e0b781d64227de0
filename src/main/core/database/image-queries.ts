// list, get and inspect: the same SQL msb's `Image::list_local`/`get_local`/`inspect_local` run
// (sdk/rust/lib/image/mod.rs), mapped to the contract's types. Reference matching is byte-exact, as in
// msb: no normalisation, no short ids.
import type Database from 'better-sqlite3'
import type { ImageConfigDetail, ImageDetail, ImageHandle, ImageLayerDetail } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import { dbTimeToIso } from './timestamps'

/** One `image_ref LEFT JOIN manifest` row. Times stay as stored; the CLI needs them for rfc3339. */
export interface StoredImageRow {
  refId: number
  reference: string
  manifestId: number | null
  digest: string | null
  architecture: string | null
  os: string | null
  layerCount: number | null
  totalSizeBytes: number | null
  createdAt: string | null
  updatedAt: string | null
}

const ROW_COLUMNS = `r.id AS refId, r.reference AS reference, m.id AS manifestId, m.digest AS digest,
  m.architecture AS architecture, m.os AS os, m.layer_count AS layerCount,
  m.total_size_bytes AS totalSizeBytes, r.created_at AS createdAt, r.updated_at AS updatedAt`

// msb orders by created_at DESC with no tie-breaker; adding one would change the order of ties.
const LIST_SQL = `SELECT ${ROW_COLUMNS} FROM image_ref r LEFT JOIN manifest m ON r.manifest_id = m.id ORDER BY r.created_at DESC`
// The list's references alone, in the list's order (the same FROM and ORDER BY, so ties fall the same way).
const LIST_REFERENCES_SQL = `SELECT r.reference FROM image_ref r LEFT JOIN manifest m ON r.manifest_id = m.id ORDER BY r.created_at DESC`
const GET_SQL = `SELECT ${ROW_COLUMNS} FROM image_ref r LEFT JOIN manifest m ON r.manifest_id = m.id WHERE r.reference = ?`
const CONFIG_SQL = `SELECT digest, env, cmd, entrypoint, working_dir AS workingDir, user, labels, stop_signal AS stopSignal
  FROM config WHERE manifest_id = ?`
const LAYERS_SQL = `SELECT l.diff_id AS diffId, l.blob_digest AS blobDigest, l.media_type AS mediaType,
  l.compressed_size_bytes AS compressedSizeBytes, l.erofs_size_bytes AS erofsSizeBytes, ml.position AS position
  FROM manifest_layer ml JOIN layer l ON l.id = ml.layer_id WHERE ml.manifest_id = ? ORDER BY ml.position ASC`

export interface ConfigRow {
  digest: string
  env: string | null
  cmd: string | null
  entrypoint: string | null
  workingDir: string | null
  user: string | null
  labels: string | null
  stopSignal: string | null
}

export class ImageQueries {
  private readonly listStmt: Database.Statement<[], StoredImageRow>
  private readonly listReferencesStmt: Database.Statement<[], string>
  private readonly getStmt: Database.Statement<[string], StoredImageRow>
  private readonly configStmt: Database.Statement<[number], ConfigRow>
  private readonly layersStmt: Database.Statement<[number], ImageLayerDetail>

  constructor(db: Database.Database) {
    this.listStmt = db.prepare(LIST_SQL)
    this.listReferencesStmt = db.prepare<[], string>(LIST_REFERENCES_SQL).pluck()
    this.getStmt = db.prepare(GET_SQL)
    this.configStmt = db.prepare(CONFIG_SQL)
    this.layersStmt = db.prepare(LAYERS_SQL)
  }

  listRows(): StoredImageRow[] {
    return this.listStmt.all()
  }

  /** `listRows().map((r) => r.reference)` without building the rows (usage and imageUse need only the order). */
  listReferences(): string[] {
    return this.listReferencesStmt.all()
  }

  getRow(reference: string): StoredImageRow {
    const row = this.getStmt.get(reference)
    if (!row) throw imageNotFound(reference)
    return row
  }

  configRow(manifestId: number): ConfigRow | undefined {
    return this.configStmt.get(manifestId)
  }

  layers(manifestId: number): ImageLayerDetail[] {
    return this.layersStmt.all(manifestId)
  }

  inspect(reference: string): { row: StoredImageRow; detail: ImageDetail; configRow: ConfigRow | undefined } {
    const row = this.getRow(reference)
    if (row.manifestId === null)
      return { row, detail: { handle: toHandle(row, 0), config: null, layers: [] }, configRow: undefined }
    const configRow = this.configRow(row.manifestId)
    const layers = this.layers(row.manifestId)
    return {
      row,
      configRow,
      detail: { handle: toHandle(row, layers.length), config: configRow ? toConfig(configRow) : null, layers }
    }
  }
}

export function imageNotFound(reference: string): CacheError {
  return new CacheError('ImageNotFound', `image not found: ${reference}`, { reference })
}

export function toHandle(row: StoredImageRow, layerCount = row.layerCount ?? 0): ImageHandle {
  return {
    reference: row.reference,
    sizeBytes: row.totalSizeBytes,
    manifestDigest: row.digest,
    architecture: row.architecture,
    os: row.os,
    layerCount,
    lastUsedAt: dbTimeToIso(row.updatedAt),
    createdAt: dbTimeToIso(row.createdAt)
  }
}

export function toConfig(row: ConfigRow): ImageConfigDetail {
  const env = parseJson(row.env)
  const labels = parseJson(row.labels)
  return {
    digest: row.digest,
    env: Array.isArray(env) ? env.filter((e): e is string => typeof e === 'string') : [],
    cmd: stringArrayOrNull(parseJson(row.cmd)),
    entrypoint: stringArrayOrNull(parseJson(row.entrypoint)),
    workingDir: row.workingDir,
    user: row.user,
    labels: isPlainObject(labels) ? sortKeys(labels) : null,
    stopSignal: row.stopSignal
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function stringArrayOrNull(value: unknown): string[] | null {
  return Array.isArray(value) ? value.map(String) : null
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** msb's serde_json has no preserve_order, so its objects come back with keys in byte order. */
function sortKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(obj).sort(compareBytes)) out[key] = obj[key]
  return out
}

export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
