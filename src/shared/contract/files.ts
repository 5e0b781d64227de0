// Inside the layers: files, changes and where the bytes go.

export type FileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket'

/** What a layer does to a path, against the layers below it. */
export type FileChange = 'added' | 'modified' | 'deleted' | 'opaque'

/** One path of the merged view (`layer` = position it comes from) or of one layer (`change` set). */
export interface FileRow {
  /** Absolute, `/`-separated. */
  path: string
  type: FileType
  /** Bytes of file data; symlinks: length of the target; 0 for the rest. */
  size: number
  /** Permission bits (st_mode & 07777). */
  mode: number
  uid: number
  gid: number
  target?: string
  /** Position of the layer the entry comes from (0 = bottom). */
  layer: number
  /** Only in a layer's view. A deletion's `type` is the type of what it deletes (char when nothing was below). */
  change?: FileChange
  /** Directories: bytes of the files below it in this view. */
  totalBytes?: number
  /** Regular files with more than one name (hard links): the link count. */
  nlink?: number
}

export interface LayerFilesSummary {
  position: number
  diffId: string
  /** Size of the layer's EROFS file on disk; null when it is missing. */
  erofsBytes: number | null
  entries: number
  /** Bytes of regular files the layer holds. */
  fileBytes: number
  added: number
  modified: number
  deleted: number
  opaque: number
  /** Why the layer could not be read (missing file, corrupt or unsupported image); its entries are then absent. */
  error: string | null
}

/** One write to a path that an upper layer overwrote or deleted, or that overwrites or deletes a lower one. */
export interface PathWrite {
  layer: number
  action: 'added' | 'modified' | 'deleted'
  /** Bytes this write counts in dive's figures (for a deleted directory: what it deleted). */
  bytes: number
  /** True when an upper layer hides this write (its bytes are unreachable in the merged view). */
  hidden: boolean
  /** Same type and size as the write below, only mode or owner differ (contents are not compared). */
  attributesOnly: boolean
}

export interface WastedPath {
  path: string
  /** dive's CumulativeSize: the bytes of every write of the path, the visible one included. */
  cumulativeBytes: number
  /** Bytes of the writes an upper layer hides. */
  hiddenBytes: number
  writes: PathWrite[]
}

export interface FileWaste {
  /** dive's efficiency score: Σ smallest write per path / Σ all writes per path (1 when nothing is written). */
  efficiency: number
  /** dive's wasted bytes: Σ cumulativeBytes over paths written more than once. */
  wastedBytes: number
  /** Σ hiddenBytes: bytes in lower layers an overwrite or deletion makes unreachable. */
  hiddenBytes: number
  /** Paths written more than once, largest cumulativeBytes first. */
  paths: WastedPath[]
  /** Number of such paths (paths may be cut to a limit). */
  pathCount: number
}

export interface ImageFiles {
  reference: string
  manifestDigest: string | null
  /** Bottom (position 0) to top. */
  layers: LayerFilesSummary[]
  /** null: the merged view; else the layer whose entries `entries` lists. */
  layer: number | null
  /** Parents before children, names sorted at each level. */
  entries: FileRow[]
  /** The largest regular files of this view, largest first. */
  biggest: FileRow[]
  waste: FileWaste
}
