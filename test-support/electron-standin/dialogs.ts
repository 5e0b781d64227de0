// `dialog`, `shell` and `screen`: what the app asks of the desktop. A dialog answers what the spec
// queued for it (else it is cancelled), links are recorded instead of opened, and there is one
// 1920×1080 display.
import { onCommand, record } from './control'

type Answer = Record<string, unknown>
const queued: Record<string, Answer[]> = {}

function answer(method: string, fallback: Answer): Promise<Answer> {
  record({ kind: 'dialog', method })
  return Promise.resolve(queued[method]?.shift() ?? fallback)
}

onCommand('queueDialog', (args) => {
  const { method, answer: value } = args as { method: string; answer: Answer }
  ;(queued[method] ??= []).push(value)
})

export const dialog = {
  showOpenDialog: (..._args: unknown[]) => answer('showOpenDialog', { canceled: true, filePaths: [] }),
  showSaveDialog: (..._args: unknown[]) => answer('showSaveDialog', { canceled: true, filePath: '' }),
  showMessageBox: (...args: unknown[]) => {
    const options = (args.find((a) => typeof a === 'object' && a !== null && 'message' in a) ?? {}) as {
      cancelId?: number
    }
    return answer('showMessageBox', { response: options.cancelId ?? 0, checkboxChecked: false })
  },
  showErrorBox: (title: string, content: string) => {
    record({ kind: 'dialog', method: `showErrorBox: ${title}: ${content}` })
    console.error(`${title}\n${content}`)
  }
}

export const shell = {
  openExternal: (url: string) => {
    record({ kind: 'open-external', url })
    return Promise.resolve()
  },
  openPath: (path: string) => {
    record({ kind: 'open-external', url: path })
    return Promise.resolve('')
  },
  showItemInFolder: (path: string) => record({ kind: 'open-external', url: path })
}

const DISPLAY = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1080 },
  scaleFactor: 1
}

export const screen = {
  getAllDisplays: () => [DISPLAY],
  getPrimaryDisplay: () => DISPLAY,
  getDisplayMatching: () => DISPLAY,
  getDisplayNearestPoint: () => DISPLAY
}
