// The CLI's progress for prune and rm: one line on stderr, rewritten in place, only when stderr is a
// terminal and the output is for humans. With --json or when piped it says nothing, so scripts see
// exactly the output they asked for.
import type { ProgressListener } from '../../shared/contract'
import { describeProgress } from '../../shared/progress-text'

export interface ProgressLine {
  /** undefined when nothing should be shown (not a terminal, or --json). */
  listener: ProgressListener | undefined
  /** Clears the line before the final output. */
  end(): void
}

export function progressLine(stream: NodeJS.WriteStream, json: boolean): ProgressLine {
  if (json || !stream.isTTY) return { listener: undefined, end: () => undefined }
  let shown = false
  return {
    listener: (p) => {
      if (p.operation === 'usage') return
      shown = true
      // \r and "erase to end of line": the line shrinks as well as grows.
      const verb = p.operation === 'prune' ? 'Pruning' : 'Removing'
      stream.write(`\r${verb}: ${describeProgress(p)}\u001b[K`)
    },
    end: () => {
      if (shown) stream.write('\r\u001b[K')
      shown = false
    }
  }
}
