// What msb's `Image` API gives: the cached references, their detail and msb's prune report.
// The types follow microsandbox's `Image` API (sdk/node-ts/src/image.ts) field for field.

/** One cached image reference, as msb's `Image.list()`/`Image.get()` return it. */
export interface ImageHandle {
  /** The reference string exactly as stored by msb (no normalisation). */
  reference: string
  /** Sum of the compressed layer sizes recorded when the manifest was first stored; null if unknown. */
  sizeBytes: number | null
  manifestDigest: string | null
  architecture: string | null
  os: string | null
  layerCount: number
  /** Last `msb pull`/`load`/sandbox start that used this reference (msb's `image_ref.updated_at`). */
  lastUsedAt: string | null
  createdAt: string | null
}

export interface ImageConfigDetail {
  /** Digest of the config blob ("" when the manifest named none). */
  digest: string
  env: string[]
  cmd: string[] | null
  entrypoint: string[] | null
  workingDir: string | null
  user: string | null
  /** Labels with keys sorted, as msb returns them; null when the image has none. */
  labels: Record<string, unknown> | null
  /** Always null on caches written by msb 0.6.x (msb never stores it). */
  stopSignal: string | null
}

export interface ImageLayerDetail {
  diffId: string
  blobDigest: string
  mediaType: string | null
  compressedSizeBytes: number | null
  /** Always null on caches written by msb 0.6.x; the explorer measures the file instead (LayerUsage). */
  erofsSizeBytes: number | null
  /** 0 is the bottom layer. */
  position: number
}

export interface ImageDetail {
  handle: ImageHandle
  config: ImageConfigDetail | null
  /** Bottom (position 0) to top. */
  layers: ImageLayerDetail[]
}

export interface ImagePruneReport {
  imageRefsRemoved: number
  manifestsRemoved: number
  layersRemoved: number
  fsmetaRemoved: number
  vmdkRemoved: number
  /** null when no file was removed (msb's rule). */
  bytesReclaimed: number | null
  /**
   * Groups left because a running msb held a lease on one of their files; only on msb 0.7.3+ homes, whose
   * msb reports it (absent on older homes so their report stays msb's).
   */
  skippedInUse?: number
}
