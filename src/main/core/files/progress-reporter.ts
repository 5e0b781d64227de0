// Progress of a remove or prune as it runs, for whoever listens (the window's dialog through a
// transport, the CLI's status line). Phase changes are always reported; counts in between at most
// every `intervalMs`, so a prune of tens of thousands of files sends tens of events a second, not
// tens of thousands.
import type { WriteProgress, ProgressListener } from '../../../shared/contract'

export const PROGRESS_INTERVAL_MS = 50

export class ProgressReporter {
  private readonly state: WriteProgress
  private lastSent = 0

  constructor(
    operation: WriteProgress['operation'],
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = PROGRESS_INTERVAL_MS
  ) {
    this.state = {
      operation,
      phase: 'deciding',
      filesTotal: 0,
      filesMoved: 0,
      filesRemoved: 0,
      bytesTotal: 0,
      bytesFreed: 0
    }
  }

  /** The first event, sent as soon as the operation starts (before it waits for the write lock). */
  start(): void {
    this.send()
  }

  /**
   * A batch's files are known (after its COMMIT): moving them aside begins. Totals add up over the
   * batches of one operation (leases come 48 groups at a time), so the last event's counts equal its totals.
   */
  planned(files: readonly { bytes?: number }[]): void {
    this.state.filesTotal += files.length
    this.state.bytesTotal += files.reduce((n, f) => n + (f.bytes ?? 0), 0)
    this.phase('moving')
  }

  moved(): void {
    this.state.filesMoved++
    this.tick()
  }

  phase(phase: WriteProgress['phase']): void {
    this.state.phase = phase
    this.send()
  }

  removed(bytes: number): void {
    this.state.filesRemoved++
    this.state.bytesFreed += bytes
    this.tick()
  }

  private tick(): void {
    if (this.listener && performance.now() - this.lastSent >= this.intervalMs) this.send()
  }

  private send(): void {
    if (!this.listener) return
    this.lastSent = performance.now()
    try {
      this.listener({ ...this.state })
    } catch {
      // A listener that fails (a closed window, a broken pipe) must never stop a removal half-way.
    }
  }
}
