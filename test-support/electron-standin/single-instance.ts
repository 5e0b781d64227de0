// `app.requestSingleInstanceLock()`: the first process holds a lock file in userData and listens on a
// socket beside it; a second process finds the lock held by a live process, hands its argv and
// working directory over that socket (the first then emits 'second-instance') and gets `false`.
// Electron's ProcessSingleton does the same with SingletonLock/SingletonSocket.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import type { Server } from 'node:net'
import { join } from 'node:path'

type OnSecondInstance = (argv: string[], cwd: string, data: unknown) => void

export class SingleInstanceLock {
  held = false
  private server: Server | undefined
  private handover: Promise<void> = Promise.resolve()
  private readonly lockFile: string
  private readonly socketPath: string

  constructor(
    userData: string,
    private readonly onSecondInstance: OnSecondInstance
  ) {
    this.lockFile = join(userData, 'StandInSingletonLock')
    this.socketPath = join(userData, 'StandInSingletonSocket')
  }

  acquire(additionalData: unknown): boolean {
    if (this.held) return true
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.lockFile, 'wx')
        writeSync(fd, String(process.pid))
        closeSync(fd)
        this.held = true
        this.listen()
        return true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        if (this.holderAlive()) {
          this.handover = this.handOver(additionalData)
          return false
        }
        rmSync(this.lockFile, { force: true }) // a crashed process left it
      }
    }
    return false
  }

  /** Resolves once the message to the first instance is delivered (the process waits before it ends). */
  flush(): Promise<void> {
    return this.handover
  }

  release(): void {
    if (!this.held) return
    this.held = false
    this.server?.close()
    rmSync(this.lockFile, { force: true })
    rmSync(this.socketPath, { force: true })
  }

  private holderAlive(): boolean {
    const pid = Number(readFileSync(this.lockFile, 'utf8'))
    if (!Number.isInteger(pid) || pid <= 0) return false
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }

  private listen(): void {
    rmSync(this.socketPath, { force: true })
    this.server = createServer((socket) => {
      let text = ''
      socket.setEncoding('utf8')
      socket.on('data', (chunk) => (text += chunk))
      socket.on('end', () => {
        try {
          const message = JSON.parse(text) as { argv: string[]; cwd: string; data: unknown }
          this.onSecondInstance(message.argv, message.cwd, message.data)
        } catch {
          // not a stand-in message
        }
      })
    })
    this.server.listen(this.socketPath)
    this.server.unref()
  }

  private handOver(data: unknown): Promise<void> {
    return new Promise((resolve) => {
      const socket = connect(this.socketPath, () => {
        socket.end(JSON.stringify({ argv: process.argv, cwd: process.cwd(), data: data ?? null }))
      })
      socket.on('close', () => resolve())
      socket.on('error', () => resolve())
    })
  }
}
