// `ice history REF`: the build steps of an image, newest first, as `docker history` prints them, with
// the layer each step made (its position, 0 = the bottom, and the compressed size msb recorded).
import type { ImageDetail, ImageHistory } from '../../shared/contract'
import { formatBytes } from '../../shared/format'
import { localTime, table } from './human'

/** Docker truncates CREATED BY at 45 characters; a little more keeps most instructions whole. */
const INSTRUCTION_WIDTH = 60

export function describeHistory(history: ImageHistory, detail: ImageDetail): string {
  const lines: string[] = []
  if (history.builtAt) lines.push(`Built: ${localTime(history.builtAt)}`)
  if (history.note) lines.push(history.note)
  if (history.steps.length > 0) {
    const rows = [...history.steps].reverse().map((step) => {
      const layer = step.layer === null ? null : detail.layers[step.layer]
      const instruction =
        step.instruction.length > INSTRUCTION_WIDTH
          ? `${step.instruction.slice(0, INSTRUCTION_WIDTH - 1)}…`
          : step.instruction
      return [
        localTime(step.created),
        instruction,
        step.emptyLayer ? '-' : step.layer === null ? '?' : String(step.layer),
        step.emptyLayer ? '0 B' : layer ? formatBytes(layer.compressedSizeBytes) : '-',
        step.comment ?? ''
      ]
    })
    lines.push(table(['CREATED', 'CREATED BY', 'LAYER', 'SIZE', 'COMMENT'], rows))
  }
  return lines.join('\n')
}

/** `--json`: the history with each step's layer digest beside its position. */
export function historyJson(history: ImageHistory, detail: ImageDetail): unknown {
  return {
    ...history,
    steps: history.steps.map((s) => ({
      ...s,
      diffId: s.layer === null ? null : (detail.layers[s.layer]?.diffId ?? null)
    }))
  }
}
