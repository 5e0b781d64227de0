// One wording for the progress of a remove or prune, shared by the CLI's status line and the window's
// progress bar, so both say the same thing.
import type { WriteProgress } from './contract'
import { formatBytes, formatCount } from './format'

export function describeProgress(p: WriteProgress): string {
  switch (p.phase) {
    case 'deciding':
      return 'Deciding what goes…'
    case 'moving':
      return `Moving files aside: ${formatCount(p.filesMoved)} of ${formatCount(p.filesTotal)}`
    case 'waiting':
      return 'msb is at work on this cache: waiting briefly in case it still needs a file…'
    case 'removing':
    case 'done':
      return `Removed ${formatCount(p.filesRemoved)} of ${formatCount(p.filesTotal)} files · ${formatBytes(p.bytesFreed)} of ${formatBytes(p.bytesTotal)} freed`
  }
}

/**
 * The work as one count for a determinate bar: each file is moved aside, then removed, so the whole
 * is twice the files (at least 1, so a bar before the files are known is empty, not undefined).
 */
export function progressSteps(p: WriteProgress): { done: number; total: number } {
  return { done: p.filesMoved + p.filesRemoved, total: Math.max(1, p.filesTotal * 2) }
}
