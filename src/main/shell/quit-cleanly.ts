// Quitting: close both database connections and the worker, then end the process, whatever happens.
//
// 'will-quit' is held (preventDefault) while the cache session closes, and the process then ends
// with `app.exit`, not a second `app.quit()`: Electron ignores a quit() that arrives while it is
// still handling the first one, which is exactly when a close that settles at once (no worker
// started yet) calls back (electron/electron#33643). That left a windowless process holding the
// single-instance lock, so the next launch only "focused" a window that no longer existed.
// A watchdog ends the process if closing hangs (a worker stuck in a long prune).

export const QUIT_WATCHDOG_MS = 8_000

export interface QuittingApp {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown
  exit(code?: number): void
}

export function closeBeforeQuit(
  app: QuittingApp,
  close: () => Promise<void> | void,
  watchdogMs = QUIT_WATCHDOG_MS
): void {
  let closing = false
  app.on('will-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    const watchdog = setTimeout(() => app.exit(0), watchdogMs)
    void Promise.resolve()
      .then(close)
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(watchdog)
        app.exit(0)
      })
  })
}
