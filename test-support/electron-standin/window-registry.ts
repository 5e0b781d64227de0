// Every open window, in creation order; shared by `app` (quit closes them all) and `BrowserWindow`.
export interface RegisteredWindow {
  readonly id: number
  close(): void
  destroy(): void
  /** Resolves when the window's page is gone. */
  closed(): Promise<void>
}

const windows: RegisteredWindow[] = []

export function addWindow(window: RegisteredWindow): void {
  windows.push(window)
}

/** Removes the window; true when it was the last one. */
export function removeWindow(window: RegisteredWindow): boolean {
  const index = windows.indexOf(window)
  if (index >= 0) windows.splice(index, 1)
  return index >= 0 && windows.length === 0
}

export function allWindows(): RegisteredWindow[] {
  return [...windows]
}

export async function windowsBeforeShutdown(): Promise<void> {
  await Promise.all(windows.map((window) => window.closed().catch(() => undefined)))
}
