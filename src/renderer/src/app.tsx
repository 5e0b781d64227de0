// The window: header, read-only banner, then either the image table (with its detail pane) or the
// disk-usage view; dialogs and toasts on top. Global keys: "/" focuses search, Escape closes the
// detail pane (dialogs handle their own Escape first).
import { useEffect, useRef } from 'react'
import { AccessScreen } from './components/frame/access-screen'
import { Banner } from './components/frame/banner'
import { DanglingList } from './components/dialogs/dangling-list'
import { DemoBanner } from './components/frame/demo-banner'
import { DetailPane } from './components/detail/detail-pane'
import { DiskUsage } from './components/disk-usage/disk-usage'
import { EmptyState } from './components/frame/empty-state'
import { HomeProblem } from './components/frame/home-problem'
import { ErrorToasts } from './components/frame/error-toast'
import { ImageTable, IMAGE_GRID_ID } from './components/table/image-table'
import { PruneDialog } from './components/dialogs/prune-dialog'
import { RemoveDialog } from './components/dialogs/remove-dialog'
import { Toolbar } from './components/table/toolbar'
import { TopBar } from './components/frame/top-bar'
import { useApp } from './store/app-store'
import { startPolling } from './store/slices/cache-slice'

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button'].includes(target.type)
}

export function App() {
  const phase = useApp((s) => s.phase)
  const loadError = useApp((s) => s.loadError)
  const rowCount = useApp((s) => s.rows.length)
  const tab = useApp((s) => s.tab)
  const detailRef = useApp((s) => s.detailRef)
  const filter = useApp((s) => s.filter)
  const access = useApp((s) => s.access)
  const problem = useApp((s) => s.status?.problem ?? null)
  const searchRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void useApp.getState().loadFirst()
    return startPolling(() => useApp.getState().poll())
  }, [])

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      const s = useApp.getState()
      if (s.removal || s.pruning) return
      if (e.key === '/' && !isTyping(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault()
        if (s.tab !== 'images') s.setTab('images')
        requestAnimationFrame(() => searchRef.current?.focus())
      } else if (e.key === 'Escape' && s.detailRef && !e.defaultPrevented) {
        e.preventDefault()
        s.closeDetail()
        document.getElementById(IMAGE_GRID_ID)?.focus()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  if (access !== 'ok') {
    return (
      <div className="app">
        <main className="main">
          <AccessScreen reason={access} />
        </main>
      </div>
    )
  }

  let content
  if (phase === 'loading') {
    content = (
      <div className="center-message" aria-busy="true">
        Reading the cache…
      </div>
    )
  } else if (phase === 'error') {
    content = (
      <div className="center-message" role="alert">
        <h2>Could not read the cache</h2>
        <p>{loadError}</p>
        <button type="button" className="button button-primary" onClick={() => void useApp.getState().load()}>
          Try again
        </button>
      </div>
    )
  } else if (problem) {
    content = <HomeProblem problem={problem} />
  } else if (rowCount === 0 && tab === 'images') {
    content = <EmptyState />
  } else if (tab === 'usage') {
    content = (
      <div id="panel-usage" role="tabpanel" aria-labelledby="tab-usage" className="panel">
        <DiskUsage />
      </div>
    )
  } else {
    content = (
      <div id="panel-images" role="tabpanel" aria-labelledby="tab-images" className="panel">
        <Toolbar ref={searchRef} />
        {filter === 'dangling' ? (
          <DanglingList />
        ) : (
          <div className={`split${detailRef ? ' with-detail' : ''}`}>
            <ImageTable />
            <DetailPane />
          </div>
        )}
      </div>
    )
  }

  return (
    <div className="app">
      <TopBar />
      {!problem && <Banner />}
      <DemoBanner />
      <main className="main">{content}</main>
      <RemoveDialog />
      <PruneDialog />
      <ErrorToasts />
    </div>
  )
}
