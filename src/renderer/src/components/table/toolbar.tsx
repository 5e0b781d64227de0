// Above the table: search (press / to focus), the in-use filters, and the bulk actions.
import { forwardRef } from 'react'
import { useApp, useWritable } from '../../store/app-store'
import { statsOf, type RowFilter } from '../../store/rows'
import { formatBytes } from '../../../../shared/format'
import { formatCount, plural } from '../common/format'
import { freedNote } from '../../store/freed-note'

const FILTERS: { value: RowFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'in-use', label: 'In use' },
  { value: 'unused', label: 'Unused' },
  { value: 'dangling', label: 'Dangling data' }
]

export const Toolbar = forwardRef<HTMLInputElement>(function Toolbar(_, searchRef) {
  const search = useApp((s) => s.search)
  const filter = useApp((s) => s.filter)
  const rows = useApp((s) => s.rows)
  // The first screen only: the counts are not known yet, except the whole.
  const partialOf = useApp((s) => s.partialOf)
  const visibleCount = useApp((s) => s.visible.length)
  const selected = useApp((s) => s.selected)
  const usage = useApp((s) => s.usage)
  const writable = useWritable()
  const s = useApp.getState()
  // Counted once per load (statsOf is memoised per rows array), not on every keystroke or check.
  const { counts, byReference } = statsOf(rows)
  const selectionFreed = useApp((s) => s.selectionFreed)
  // One reference: its row already has the figure; more: the core's answer for exactly this selection.
  const single = selected.size === 1 ? byReference.get([...selected][0]) : undefined
  const forSelection = selectionFreed?.for === selected ? selectionFreed : null
  const freedBytes = single ? single.freedBytes : (forSelection?.freedBytes ?? null)
  // Why the figure is small, in words beside it (the same words as the Frees column).
  const note = single
    ? freedNote(single)
    : forSelection
      ? freedNote(
          { aliases: forSelection.dataStays.otherTags, ...forSelection.dataStays },
          { of: 'these images', nameAliases: forSelection.dataStays.otherTags.length <= 2 }
        )
      : null

  return (
    <div className="toolbar">
      <div className="search">
        <svg viewBox="0 0 16 16" aria-hidden="true" className="search-icon">
          <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
        <input
          ref={searchRef}
          type="search"
          aria-label="Search images"
          placeholder="Search reference, digest, sandbox…"
          value={search}
          onChange={(e) => s.setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              e.stopPropagation()
              if (search) s.setSearch('')
              else document.getElementById('image-grid')?.focus()
            } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault()
              if (!useApp.getState().activeRef) s.moveActiveTo('first')
              document.getElementById('image-grid')?.focus()
            }
          }}
        />
        <kbd className="search-kbd" aria-hidden="true">
          /
        </kbd>
      </div>

      <div className="segmented" role="radiogroup" aria-label="Show">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            role="radio"
            aria-checked={filter === f.value}
            className={filter === f.value ? 'on' : undefined}
            onClick={() => s.setFilter(f.value)}
          >
            {f.label}
            <span className="count">
              {partialOf !== null
                ? f.value === 'all'
                  ? formatCount(partialOf)
                  : '…'
                : formatCount(f.value === 'dangling' ? (usage?.dangling.length ?? 0) : counts[f.value])}
            </span>
          </button>
        ))}
      </div>

      <div className="toolbar-spacer" />

      <span className="result-count" aria-live="polite">
        {partialOf !== null
          ? plural(partialOf, 'image')
          : filter === 'dangling'
            ? plural(usage?.dangling.length ?? 0, 'item')
            : visibleCount === rows.length
              ? plural(rows.length, 'image')
              : `${formatCount(visibleCount)} of ${plural(rows.length, 'image')}`}
      </span>

      {selected.size > 0 && (
        <div className="selection-actions">
          <span className="selection-count">
            {formatCount(selected.size)} selected ·{' '}
            <span
              data-testid="selection-freed"
              data-bytes={freedBytes ?? undefined}
              title="What removing the selection frees, as the Remove dialog will report"
            >
              {freedBytes === null ? 'frees …' : `frees ${formatBytes(freedBytes)}`}
            </span>
          </span>
          <span className="selection-note" data-testid="selection-note" title={note ?? undefined}>
            {note}
          </span>
          <button type="button" className="button button-quiet" onClick={() => s.clearSelection()}>
            Clear
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={!writable}
            onClick={() => s.openRemove([...selected])}
          >
            Remove {plural(selected.size, 'image')}…
          </button>
        </div>
      )}
    </div>
  )
})
