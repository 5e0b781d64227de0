// A list in a dialog that may hold tens of thousands of items (a bulk removal of 10,000 images lists
// 10,000 references, their manifests, layers and files): short lists render as they are, long ones
// render only the items in view, in a scroll box of their own.
import { useVirtualizer } from '@tanstack/react-virtual'
import { type ReactNode, useRef } from 'react'

/** Up to this many items a list renders every item (find-in-page and screen readers see them all). */
const PLAIN_LIMIT = 200
const ROW_HEIGHT = 24

interface LongListProps<T> {
  items: readonly T[]
  itemKey: (item: T) => string
  render: (item: T) => ReactNode
  className: string
  testId?: string
  label?: string
}

export function LongList<T>(props: LongListProps<T>) {
  const { items, itemKey, render, className, testId } = props
  if (items.length <= PLAIN_LIMIT) {
    return (
      <ul className={className} data-testid={testId}>
        {items.map((item) => (
          <li key={itemKey(item)}>{render(item)}</li>
        ))}
      </ul>
    )
  }
  return <VirtualList {...props} />
}

function VirtualList<T>({ items, itemKey, render, className, testId, label }: LongListProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  })
  return (
    <div
      ref={scrollRef}
      className="long-list-scroll"
      tabIndex={0}
      role="region"
      aria-label={label ?? `${items.length} items`}
    >
      <ul
        className={`${className} long-list`}
        data-testid={testId}
        data-count={items.length}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((v) => {
          const item = items[v.index]
          return (
            <li
              key={itemKey(item)}
              aria-setsize={items.length}
              aria-posinset={v.index + 1}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
            >
              {render(item)}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
