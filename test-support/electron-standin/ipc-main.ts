// `ipcMain`: `handle` for `ipcRenderer.invoke`, `on` for `ipcRenderer.send`. Arguments and results
// cross as structured clones, and a handler's throw reaches the page only as Electron words it.
import { EventEmitter } from 'node:events'

type Handler = (event: unknown, ...args: unknown[]) => unknown
export type InvokeReply = { ok: true; value: unknown } | { ok: false; message: string }

class IpcMain extends EventEmitter {
  private readonly handlers = new Map<string, Handler>()

  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  }

  handleOnce(channel: string, handler: Handler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel)
      return handler(event, ...args)
    })
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  async invoke(event: unknown, channel: string, args: unknown[]): Promise<InvokeReply> {
    const handler = this.handlers.get(channel)
    const failure = (error: unknown): InvokeReply => ({
      ok: false,
      message: `Error invoking remote method '${channel}': ${String(error)}`
    })
    if (!handler) return failure(new Error(`No handler registered for '${channel}'`))
    try {
      return { ok: true, value: structuredClone(await handler(event, ...structuredClone(args))) }
    } catch (error) {
      return failure(error)
    }
  }
}

export const ipcMain = new IpcMain()
