// How an IPC reply travels to the page: JSON text, which Chromium parses natively, instead of
// Playwright's per-value serializer (13 s for a 4.6 MB file listing, against ~50 ms for Electron's
// structured clone). Values JSON cannot carry but a structured clone does (undefined, NaN and
// ±Infinity, Date, Map, Set, BigInt) travel as tagged objects that page-runtime.js turns back.
export const TAG = '\u0000'

export function encodeReply(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
    const original = key === '' ? value : this[key]
    if (original === undefined) return { [TAG]: 'undefined' }
    if (typeof original === 'number' && !Number.isFinite(original)) return { [TAG]: 'number', value: String(original) }
    if (typeof original === 'bigint') return { [TAG]: 'bigint', value: original.toString() }
    if (original instanceof Date) return { [TAG]: 'date', value: original.getTime() }
    if (original instanceof Map) return { [TAG]: 'map', value: [...original.entries()] }
    if (original instanceof Set) return { [TAG]: 'set', value: [...original.values()] }
    return current
  })
}
