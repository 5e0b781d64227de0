// The `imageFiles` operation: an image's layers (from msb's inspect rows, bottom first) read from their EROFS files,
// applied bottom-up, and viewed as the merged tree or as one layer's changes. The analysis of the last few images is
// kept, keyed by their layer files, so switching between layers of one image reads nothing again.
import type { ImageDetail, ImageFiles, LayerFilesSummary } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import { ErofsError } from '../erofs/erofs-error'
import { DEFAULT_LIMITS, type TreeEntry } from '../erofs/layer-tree'
import { analyseImage, type ImageAnalysis } from './image-analysis'
import { imageFilesView } from './file-views'
import { type LayerStore, type LayerTree } from './layer-store'

const ANALYSES_KEPT = 4
/**
 * Analyses kept, by their estimated size (their layers' walk estimates): four of a huge image held 5.7 GB in
 * serve. A larger analysis is not kept at all.
 */
const MAX_KEPT_BYTES = 512 * 1024 * 1024

export class ImageFilesReader {
  private readonly analyses = new Map<string, { analysis: ImageAnalysis; bytes: number }>()
  private keptBytes = 0

  constructor(readonly store: LayerStore) {}

  read(detail: ImageDetail, layer: number | undefined): ImageFiles {
    const layers = [...detail.layers].sort((a, b) => a.position - b.position)
    if (layer !== undefined && (layer < 0 || layer >= layers.length)) {
      throw new CacheError(
        'InvalidArgument',
        `image ${detail.handle.reference} has ${layers.length} layers; there is no layer ${layer}`
      )
    }
    const trees: (LayerTree | null)[] = []
    const errors: (string | null)[] = []
    const unsupported: boolean[] = []
    const busy: boolean[] = []
    for (const l of layers) {
      try {
        trees.push(this.store.read(l.diffId))
        errors.push(null)
        unsupported.push(false)
        busy.push(false)
      } catch (e) {
        // One unreadable layer must not hide the others: its error is reported with its summary.
        trees.push(null)
        errors.push(e instanceof Error ? e.message : String(e))
        unsupported.push(e instanceof ErofsError && e.failure === 'unsupported')
        busy.push(e instanceof CacheError && e.code === 'Busy')
      }
    }
    if (layer !== undefined && errors[layer]) {
      const code = unsupported[layer] ? 'Unsupported' : busy[layer] ? 'Busy' : 'Internal'
      throw new CacheError(code, `layer ${layer}: ${errors[layer]}`)
    }
    const key = layers
      .map((l, i) => `${l.diffId}@${trees[i]?.entries.length ?? 'x'}:${trees[i]?.erofsBytes ?? 0}`)
      .join(',')
    let analysis = this.analyses.get(key)?.analysis
    if (!analysis) {
      // The walks had their deadline; the analysis gets one of the same length.
      analysis = analyseImage(
        trees.map((t) => t?.entries ?? ([] as TreeEntry[])),
        performance.now() + DEFAULT_LIMITS.timeoutMs
      )
      this.keep(
        key,
        analysis,
        trees.reduce((n, t) => n + (t?.bytes ?? 0), 0)
      )
    }
    const summaries: LayerFilesSummary[] = layers.map((l, i) => ({
      position: i,
      diffId: l.diffId,
      erofsBytes: trees[i]?.erofsBytes ?? this.store.fileBytes(l.diffId),
      ...analysis.stats[i],
      error: errors[i] ?? null
    }))
    return imageFilesView(
      { reference: detail.handle.reference, manifestDigest: detail.handle.manifestDigest, layers: summaries },
      analysis,
      layer ?? null
    )
  }

  private keep(key: string, analysis: ImageAnalysis, bytes: number): void {
    if (bytes > MAX_KEPT_BYTES) return
    while (this.analyses.size > 0 && (this.analyses.size >= ANALYSES_KEPT || this.keptBytes + bytes > MAX_KEPT_BYTES)) {
      const oldest = this.analyses.keys().next().value as string
      this.keptBytes -= this.analyses.get(oldest)!.bytes
      this.analyses.delete(oldest)
    }
    this.analyses.set(key, { analysis, bytes })
    this.keptBytes += bytes
  }
}
