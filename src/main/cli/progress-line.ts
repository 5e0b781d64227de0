// The CLI's progress for prune and rm: one line on stderr, rewritten in place, only when stderr is a
// terminal and the output is for humans. With --json or when piped it says nothing, so scripts see
// exactly the output they asked for.
import type { OperationProgress, ProgressListener } from '../../shared/contract'
import { formatBytes } from '../../shared/format'

export interface ProgressLine {
  /** undefined when nothing should be shown (not a terminal, or --json). */
  listener: ProgressListener | undefined
  /** Clears the line before the final output. */
  end(): void
}

const count = new Intl.NumberFormat('en-US')

export function describeProgress(p: OperationProgress): string {
  const verb = p.operation === 'prune' ? 'Pruning' : 'Removing'
  switch (p.phase) {
    case 'deciding':
      return `${verb}: deciding what goes…`
    case 'moving':
      return `${verb}: moving files aside ${count.format(p.filesMoved)} of ${count.format(p.filesTotal)}`
    case 'waiting':
      return `${verb}: waiting briefly for a concurrent msb…`
    case 'removing':
    case 'done':
      return `${verb}: ${count.format(p.filesRemoved)} of ${count.format(p.filesTotal)} files, ${formatBytes(p.bytesFreed)} of ${formatBytes(p.bytesTotal)} freed`
  }
}

export function progressLine(stream: NodeJS.WriteStream, json: boolean): ProgressLine {
  if (json || !stream.isTTY) return { listener: undefined, end: () => undefined }
  let shown = false
  return {
    listener: (p) => {
      shown = true
      // \r and "erase to end of line": the line shrinks as well as grows.
      stream.write(`\r${describeProgress(p)}\u001b[K`)
    },
    end: () => {
      if (shown) stream.write('\r\u001b[K')
      shown = false
    }
  }
}
