// The shape of the app store, one slice per concern; each slice lives in its own file.
import type { StateCreator } from 'zustand'
import type {
  CacheStatus,
  CacheUsage,
  ImageFiles,
  ImageHandle,
  ImageHistory,
  ImageInsight,
  WriteProgress,
  PrunePlan,
  FlatPlan,
  FlatReclaimResult,
  PruneResult,
  PruneScope,
  RemovePlan,
  RemoveResult,
  SelectionUsage
} from '../../../shared/contract'
import type { ImageRow, RowFilter, Sorting, SortKey } from './rows'
import type { RulesDraft } from './rules-draft'

export interface CacheSlice {
  status: CacheStatus | null
  images: ImageHandle[]
  usage: CacheUsage | null
  /**
   * The rows are shown but disk usage is still being measured (the first load shows the list as soon
   * as the database is read; unique and shared bytes and the reclaimable total follow).
   */
  measuring: boolean
  /** While measuring: files measured so far (the server's count; 0 until its first report). */
  filesMeasured: number
  rows: ImageRow[]
  /** First load: nothing to show yet. */
  phase: 'loading' | 'ready' | 'error'
  loadError: string | null
  /** The server/bridge stopped answering the status poll. */
  disconnected: boolean
  /**
   * Serve mode only: 'no-token' when the page was opened without the URL `serve` printed,
   * 'token-refused' when the server refused its token (it was restarted); then nothing is called.
   */
  access: 'ok' | 'no-token' | 'token-refused'
  /** Reloads status, list and usage, keeping selection, sort, filter and scroll. */
  load(): Promise<void>
  /** Asks for `status().revision` and reloads only when it moved. */
  poll(): Promise<void>
}

export interface DemoSlice {
  /** Building the demo cache (openDemo), started from the empty state. */
  demo: { phase: 'idle' | 'building' | 'error'; error: string | null }
  /** Builds the demo cache, switches to it and reloads everything. */
  openDemo(): Promise<void>
  /** Back to the home open before the demo; the demo cache is deleted. */
  closeDemo(): Promise<void>
}

export interface SharingSlice {
  /** Saving the homes that share the cache; the error names a home whose cache is elsewhere. */
  sharing: { phase: 'idle' | 'saving'; error: string | null }
  /** Names the homes sharing this cache (replacing those named before), then reloads. */
  shareCacheWith(homes: string[]): Promise<void>
}

export type Tab = 'images' | 'usage'

export interface ViewSlice {
  tab: Tab
  filter: RowFilter
  search: string
  sorting: Sorting
  /** Rows after filter, search and sort: the order on screen. */
  visible: ImageRow[]
  /** Checked references (bulk removal). */
  selected: ReadonlySet<string>
  /** The keyboard cursor / the row the detail pane shows. */
  activeRef: string | null
  /** Anchor for shift-click range selection. */
  anchorRef: string | null
  setTab(tab: Tab): void
  setFilter(filter: RowFilter): void
  setSearch(search: string): void
  toggleSort(key: SortKey): void
  toggleSelected(reference: string, range?: boolean): void
  setAllVisibleSelected(checked: boolean): void
  clearSelection(): void
  setActive(reference: string | null): void
  moveActive(delta: number): void
  moveActiveTo(edge: 'first' | 'last'): void
}

export interface DetailSlice {
  detailRef: string | null
  insight: ImageInsight | null
  insightState: 'idle' | 'loading' | 'ready' | 'error'
  insightError: string | null
  /** The build steps of the open image (null until they arrive, or when they could not be read). */
  history: ImageHistory | null
  openDetail(reference: string): void
  closeDetail(): void
  reloadInsight(): Promise<void>
}

export interface SelectionSlice {
  /** What removing the checked references together frees; `for` is the selection it was asked for. */
  selectionFreed: (SelectionUsage & { for: ReadonlySet<string> }) | null
  /** Asks again after the selection settles (called when the selection or the cache changes). */
  refreshSelectionFreed(): void
}

export type DetailTab = 'overview' | 'layers' | 'files' | 'config' | 'json'

export interface FilesSlice {
  detailTab: DetailTab
  /** The layer whose files the Files tab shows; null = the merged view. */
  filesLayer: number | null
  files: ImageFiles | null
  filesState: 'idle' | 'loading' | 'ready' | 'error'
  filesError: string | null
  setDetailTab(tab: DetailTab): void
  /** Opens the Files tab on a layer (null = merged). */
  openFiles(layer: number | null): void
  /** Loads the files of the image and layer on screen unless they are already here. */
  ensureFiles(): void
}

export interface RemoveState {
  references: string[]
  force: boolean
  plan: RemovePlan | null
  phase: 'planning' | 'ready' | 'removing' | 'done'
  error: string | null
  /** The contract's code of `error` (e.g. ImageInUse before force is chosen). */
  errorCode: string | null
  result: RemoveResult | null
  /** While removing: how far it has got (null until the first event). */
  progress: WriteProgress | null
  /** These images' own flat rootfs artifacts (unused once they go), and whether to delete them too. */
  flatPlan: FlatPlan | null
  flat: boolean
}

export interface RemoveSlice {
  removal: RemoveState | null
  openRemove(references: string[]): void
  setRemoveForce(force: boolean): void
  setRemoveFlat(on: boolean): void
  confirmRemove(): Promise<void>
  closeRemove(): void
}

export interface PruneState {
  scope: PruneScope
  /** The "Rules" choice's inputs as typed (kept while another choice is shown). */
  rulesDraft: RulesDraft
  plan: PrunePlan | null
  phase: 'planning' | 'ready' | 'pruning' | 'done'
  error: string | null
  result: PruneResult | null
  /** While pruning: how far it has got (null until the first event). */
  progress: WriteProgress | null
  /** The choice "also delete unused flat rootfs artifacts" (off by default: msb's prune never does). */
  flat: boolean
  /** The unused flat artifacts, counting this plan's images as gone. */
  flatPlan: FlatPlan | null
  flatResult: FlatReclaimResult | null
}

export interface PruneSlice {
  pruning: PruneState | null
  openPrune(scope?: PruneScope): void
  setPruneScope(scope: PruneScope): void
  /** Shows the "Rules" choice with these inputs; the preview follows once they read and stop changing. */
  setPruneRules(draft: RulesDraft): void
  setPruneFlat(on: boolean): void
  confirmPrune(): Promise<void>
  closePrune(): void
}

export interface Toast {
  id: number
  kind: 'error' | 'success' | 'info'
  title: string
  message: string
}

export interface ToastSlice {
  toasts: Toast[]
  pushToast(toast: Omit<Toast, 'id'>): void
  dismissToast(id: number): void
}

export type AppState = CacheSlice &
  DemoSlice &
  SharingSlice &
  ViewSlice &
  DetailSlice &
  FilesSlice &
  RemoveSlice &
  PruneSlice &
  ToastSlice &
  SelectionSlice

export type SliceCreator<T> = StateCreator<AppState, [], [], T>
