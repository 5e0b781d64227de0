// The stand-in's side of the test's control channel (the IPC channel of `child_process.fork`): what
// happened in the app (a log the test reads) and the few things a user does outside the page
// (pick a menu item, answer a dialog, close the window), which Playwright cannot reach in a stand-in.
import { readdirSync, readlinkSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'

export type StandInEvent =
  | { kind: 'window-focus'; window: number }
  | { kind: 'window-created'; window: number }
  | { kind: 'window-closed'; window: number }
  | { kind: 'open-external'; url: string }
  | { kind: 'navigation'; url: string; allowed: boolean; mainFrame: boolean }
  | { kind: 'window-open'; url: string; action: string }
  | { kind: 'csp-violation'; directive: string; blocked: string; source: string }
  | { kind: 'preload-error'; message: string }
  | { kind: 'ipc'; channel: string; frameUrl: string }
  | { kind: 'second-instance'; argv: string[] }
  | { kind: 'dialog'; method: string }
  | { kind: 'quit-ignored'; reason: string }
  | { kind: 'will-quit'; prevented: boolean }
  | { kind: 'permission'; permission: string; url: string; granted: boolean }
  | { kind: 'menu-click'; label: string }

export interface ControlRequest {
  id: number
  command: string
  args?: unknown
}

type CommandHandler = (args: unknown) => unknown

const events: StandInEvent[] = []
const handlers = new Map<string, CommandHandler>()

export function record(event: StandInEvent): void {
  events.push(event)
  if (process.env.ELECTRON_STANDIN_DEBUG) console.error('[stand-in]', JSON.stringify(event))
}

export function onCommand(command: string, handler: CommandHandler): void {
  handlers.set(command, handler)
}

/** Tells the test something unprompted (Chromium's CDP endpoint once the app is ready). */
export function notify(message: Record<string, unknown>): void {
  if (process.send && process.connected) process.send({ type: 'notice', ...message })
}

onCommand('events', () => events)

if (process.send) {
  process.on('message', (message: ControlRequest) => {
    if (typeof message !== 'object' || message === null || typeof message.id !== 'number') return
    const reply = (body: Record<string, unknown>): void => {
      if (process.connected) process.send!({ type: 'reply', id: message.id, ...body })
    }
    const handler = handlers.get(message.command)
    if (!handler) return reply({ ok: false, error: `unknown stand-in command ${message.command}` })
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) })
      )
  })
  // The channel must not keep a quitting app alive: Electron exits whatever the test does.
  process.channel?.unref()
  // The test runner has gone (killed, crashed): do not outlive it.
  process.on('disconnect', () => process.exit(1))
}

/** The database files this process holds open right now (Linux: /proc/self/fd), worker threads included. */
export function openDatabaseFiles(): string[] {
  const open: string[] = []
  try {
    for (const fd of readdirSync('/proc/self/fd')) {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`)
        if (basename(target) === 'msb.db') open.push(target)
      } catch {
        // the fd closed while we looked
      }
    }
  } catch {
    // not Linux: nothing to report
  }
  return open
}

onCommand('openDatabaseFiles', () => openDatabaseFiles())

/** Written synchronously as the process exits, for the test to read after the process is gone. */
export function writeExitReport(code: number): void {
  const file = process.env.ELECTRON_STANDIN_EXIT_REPORT
  if (!file) return
  try {
    writeFileSync(file, JSON.stringify({ code, openDatabaseFiles: openDatabaseFiles(), events }))
  } catch {
    // the test then sees no report, which fails it
  }
}

// The main process's event loop, measured while a spec runs something heavy: the longest time the
// app's main thread (where IPC is answered) could not run anything else.
let loopMonitor: ReturnType<typeof monitorEventLoopDelay> | undefined
onCommand('startLoopMonitor', () => {
  loopMonitor?.disable()
  loopMonitor = monitorEventLoopDelay({ resolution: 10 })
  loopMonitor.enable()
})
onCommand('stopLoopMonitor', () => {
  if (!loopMonitor) throw new Error('the loop monitor was not started')
  loopMonitor.disable()
  return { maxMs: loopMonitor.max / 1e6, p99Ms: loopMonitor.percentile(99) / 1e6 }
})
