// The test's side of the stand-in: starts the built app (`out/main/index.js`, unmodified) in its own
// Node process with `electron` resolving to the stand-in, attaches Playwright to its Chromium over
// CDP (as `_electron.launch` attaches to Electron's), and talks to the stand-in over the fork's IPC
// channel for what only a desktop user can do: the menu, dialogs, closing the window.
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import type { StandInEvent } from './control'

export const REPO_ROOT = resolve(import.meta.dirname, '../..')
export const BUILT_MAIN = join(REPO_ROOT, 'out/main/index.js')
const REGISTER = join(import.meta.dirname, 'register.ts')

export interface ExitReport {
  code: number
  openDatabaseFiles: string[]
  events: StandInEvent[]
}

export interface LaunchOptions {
  userData: string
  /** The built main script to run (default: this checkout's out/main/index.js). */
  main?: string
  /** MSB_HOME for the app; undefined leaves it unset. */
  home?: string
  env?: Record<string, string>
  /** Where the stand-in writes its exit report (default: userData/standin-exit.json). */
  exitReport?: string
}

export interface DesktopApp {
  readonly process: ChildProcess
  /** Resolves with the exit code once the app's process has ended. */
  readonly exited: Promise<number | null>
  /** What the app wrote to stderr (for failure messages). */
  stderr(): string
  /** Resolves once Chromium is up; null if the process ended first (a second instance does). */
  connect(): Promise<Browser | null>
  /** The first window's page, once it shows our page. */
  firstWindow(): Promise<Page>
  command<T = unknown>(command: string, args?: unknown): Promise<T>
  events(): Promise<StandInEvent[]>
  exitReport(): ExitReport | null
  /** Ends the app like a user closing its window; kills it if it does not end in time. */
  close(): Promise<void>
  /** Kills the app and its Chromium at once. */
  kill(): void
}

function childEnv(options: LaunchOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env }
  delete env.ELECTRON_RENDERER_URL
  delete env.NODE_OPTIONS
  if (options.home === undefined) delete env.MSB_HOME
  else env.MSB_HOME = options.home
  env.ELECTRON_STANDIN_EXIT_REPORT = options.exitReport ?? join(options.userData, 'standin-exit.json')
  return env
}

export function launchDesktopApp(options: LaunchOptions): DesktopApp {
  const main = options.main ?? BUILT_MAIN
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` (electron-vite build) first`)
  const env = childEnv(options)
  const child = fork(main, [`--user-data-dir=${options.userData}`], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx', '--import', REGISTER],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Its own process group, so a hung app can be killed together with its Chromium.
    detached: true
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  child.stdout?.resume()
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))

  let nextId = 1
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let endpoint: ((value: string | null) => void) | undefined
  const cdpEndpoint = new Promise<string | null>((done) => (endpoint = done))
  child.on(
    'message',
    (message: { type: string; id?: number; ok?: boolean; value?: unknown; error?: string; cdpEndpoint?: string }) => {
      if (message.type === 'notice' && message.cdpEndpoint) endpoint?.(message.cdpEndpoint)
      if (message.type !== 'reply' || message.id === undefined) return
      const waiting = pending.get(message.id)
      pending.delete(message.id)
      if (message.ok) waiting?.resolve(message.value)
      else waiting?.reject(new Error(message.error))
    }
  )
  void exited.then(() => {
    endpoint?.(null)
    for (const waiting of pending.values()) waiting.reject(new Error(`the app exited\n${stderr}`))
    pending.clear()
  })

  let browser: Promise<Browser | null> | undefined
  const app: DesktopApp = {
    process: child,
    exited,
    stderr: () => stderr,
    connect() {
      browser ??= cdpEndpoint.then((url) => (url ? chromium.connectOverCDP(url) : null))
      return browser
    },
    async firstWindow() {
      const connected = await app.connect()
      if (!connected) throw new Error(`the app ended before it opened a window\n${stderr}`)
      const context = connected.contexts()[0]
      for (let i = 0; i < 400; i++) {
        const page = context.pages().find((p) => p.url().startsWith('file:'))
        if (page) return page
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error(`the app opened no window showing its page\n${stderr}`)
    },
    command<T>(command: string, args?: unknown): Promise<T> {
      return new Promise<T>((resolveCommand, reject) => {
        if (!child.connected) return reject(new Error(`the app is not running\n${stderr}`))
        const id = nextId++
        pending.set(id, { resolve: resolveCommand as (v: unknown) => void, reject })
        child.send({ id, command, args })
      })
    },
    events: () => app.command<StandInEvent[]>('events'),
    exitReport() {
      const file = env.ELECTRON_STANDIN_EXIT_REPORT!
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExitReport) : null
    },
    kill: () => killGroup(child),
    async close() {
      const connected = await browser?.catch(() => null)
      if (child.exitCode === null && child.signalCode === null) {
        await app.command('closeWindow').catch(() => undefined)
        const timer = setTimeout(() => killGroup(child), 15_000)
        await exited
        clearTimeout(timer)
      }
      await connected?.close().catch(() => undefined)
    }
  }
  return app
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}
