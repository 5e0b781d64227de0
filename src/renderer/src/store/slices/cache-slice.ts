// Loading and live refresh. The UI polls `status().revision` (cheap) and reloads list + usage only
// when it moved, so an `msb pull`/`load`/`rm` in a terminal shows up within a poll interval while
// the user's selection, sort, filter and scroll position stay put.
//
// Rows first: the first load shows the list and who uses what (database facts, milliseconds) at once,
// then asks for disk usage, which must size every file of the cache (hundreds of ms cold at 10,000
// images); until it arrives the byte columns say "measuring". Later reloads wait for both and swap
// once, so a refresh never blanks numbers that were already on screen.
import { access, client, isTokenRefusal, isTransportFailure } from '../../api/client'
import { describeError } from '../errors'
import type { BuildDate, CacheStatus, CacheUsage, ImageHandle, ImageUse } from '../../../../shared/contract'
import { joinRows, prepareSearch, statsOf, visibleRows, type ImageRow } from '../rows'
import type { CacheSlice, SliceCreator } from '../state'

export const POLL_INTERVAL_MS = 700

/**
 * Builds the rows' search text in idle slices after the paint, so the first keystroke finds it ready;
 * stops if a reload replaced the rows.
 */
function prepareSearchWhenIdle(rows: readonly ImageRow[], current: () => readonly ImageRow[]): void {
  const idle =
    typeof window.requestIdleCallback === 'function'
      ? (cb: (deadline: number) => void) => window.requestIdleCallback((d) => cb(performance.now() + d.timeRemaining()))
      : (cb: (deadline: number) => void) => window.setTimeout(() => cb(performance.now() + 8), 16)
  const step = (from: number) => (deadline: number) => {
    const next = prepareSearch(rows, from, deadline)
    if (next < rows.length && current() === rows) idle(step(next))
  }
  idle(step(0))
}

export const createCacheSlice: SliceCreator<CacheSlice> = (set, get) => {
  let loading: Promise<void> | null = null
  let again = false
  let lastRevision: string | null = null
  let polling = false
  let first: Promise<void> | null = null

  async function loadOnce(): Promise<void> {
    if (get().phase !== 'ready') return loadFirst()
    const status = await client.status({})
    lastRevision = status.revision
    if (status.schema.kind === 'missing') return show(status, [], [], null)
    const [images, uses, usage, builds] = await Promise.all([
      client.list({}),
      client.imageUse({}),
      client.usage({}),
      buildDates()
    ])
    return show(status, images, uses, usage, builds)
  }

  /**
   * The first load, in three steps so each screenful comes as soon as it can: the first screen's rows
   * (a few kB: `firstRows`), then every image and who uses it (several MB at 10,000 images), then disk
   * usage and build dates.
   */
  async function loadFirst(): Promise<void> {
    // Both asked at once; a home with a problem (missing, not msb's) fails `firstRows`, and then the
    // status's problem is what the window shows, not that failure.
    const [status, first] = await Promise.all([
      client.status({}),
      client.firstRows({}).catch((error: unknown) => ({ error }))
    ])
    lastRevision = status.revision
    if (status.schema.kind === 'missing' || status.problem) return show(status, [], [], null)
    if ('error' in first) throw first.error
    let images = first.images
    let uses = first.uses
    if (first.total > first.images.length) {
      show(status, images, uses, null, null, first.total)
      ;[images, uses] = await Promise.all([client.list({}), client.imageUse({})])
    }
    show(status, images, uses, null)
    // Asked only now: on the in-process server (e2e) a usage call would hold up the list behind it.
    const [usage, builds] = await Promise.all([
      client.usage(
        {},
        {
          onProgress: (p) =>
            p.operation === 'usage' && get().images === images && set({ filesMeasured: p.filesMeasured })
        }
      ),
      buildDates()
    ])
    if (get().images === images) show(status, images, uses, usage, builds)
  }

  /** Build dates only label and sort a column: without them (an unreadable file) the rest still shows. */
  function buildDates(): Promise<BuildDate[] | null> {
    return client.buildDates({}).catch(() => null)
  }

  /** Puts one load on screen; usage null = not measured yet. */
  function show(
    status: CacheStatus,
    images: ImageHandle[],
    uses: ImageUse[],
    usage: CacheUsage | null,
    builds: BuildDate[] | null = null,
    partialOf: number | null = null
  ): void {
    const rows = joinRows(images, usage, uses, builds)
    const present = statsOf(rows).byReference
    const { selected, activeRef, anchorRef, filter, search, sorting, detailRef } = get()
    const keptSelection = [...selected].filter((r) => present.has(r))
    set({
      status,
      images,
      usage,
      measuring: usage === null && images.length > 0,
      filesMeasured: 0,
      rows,
      partialOf,
      visible: visibleRows(rows, filter, search, sorting),
      phase: 'ready',
      loadError: null,
      disconnected: false,
      selected: keptSelection.length === selected.size ? selected : new Set(keptSelection),
      activeRef: activeRef && present.has(activeRef) ? activeRef : null,
      anchorRef: anchorRef && present.has(anchorRef) ? anchorRef : null
    })
    if (partialOf === null) prepareSearchWhenIdle(rows, () => get().rows)
    if (detailRef) {
      if (present.has(detailRef)) void get().reloadInsight()
      else get().closeDetail()
    }
  }

  return {
    status: null,
    images: [],
    usage: null,
    measuring: false,
    filesMeasured: 0,
    rows: [],
    partialOf: null,
    phase: 'loading',
    loadError: null,
    disconnected: false,
    access: access === 'no-token' ? 'no-token' : 'ok',

    load() {
      if (get().access !== 'ok') return Promise.resolve()
      // One load at a time; a request during a load runs once more afterwards with fresh data.
      if (loading) {
        again = true
        return loading
      }
      loading = (async () => {
        try {
          do {
            again = false
            await loadOnce()
          } while (again)
        } catch (error) {
          if (isTokenRefusal(error)) {
            set({ access: 'token-refused' })
          } else if (get().phase === 'ready') {
            get().pushToast({ kind: 'error', title: 'Refresh failed', message: describeError(error) })
          } else {
            set({ phase: 'error', loadError: describeError(error) })
          }
        } finally {
          loading = null
        }
      })()
      return loading
    },

    loadFirst() {
      first ??= get().load()
      return first
    },

    async poll() {
      if (polling || loading || get().access !== 'ok') return
      polling = true
      try {
        const status = await client.status({})
        if (get().disconnected) set({ disconnected: false })
        if (status.revision !== lastRevision) await get().load()
      } catch (error) {
        if (isTokenRefusal(error)) set({ access: 'token-refused' })
        // Only silence is lost contact; an answer that is an error (a damaged database) is the cache's
        // state, which the load showed, and the poll keeps looking until it changes.
        else if (isTransportFailure(error) && !get().disconnected) set({ disconnected: true })
      } finally {
        polling = false
      }
    }
  }
}

/** Starts the revision poll; returns the function that stops it. */
export function startPolling(poll: () => Promise<void>, intervalMs = POLL_INTERVAL_MS): () => void {
  const timer = window.setInterval(() => {
    if (document.visibilityState !== 'hidden') void poll()
  }, intervalMs)
  return () => window.clearInterval(timer)
}
