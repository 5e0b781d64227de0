// The explorer's own files kept between runs (stored sizes, kept figures and listings), in its cache folder, never
// in msb's home: written whole or not at all, and never needed. A reader that finds one missing, partial or
// foreign works the thing out again.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Writes `data` to `file` through a uniquely named `.part` beside it and a rename, private to the user; best
 * effort: a read-only or full disk only means the next run works it out again. Answers whether it was written.
 */
export function writeKeptFile(file: string, data: string | Uint8Array): boolean {
  const part = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.part`
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    writeFileSync(part, data, { mode: 0o600 })
    renameSync(part, file)
    return true
  } catch {
    try {
      rmSync(part, { force: true })
    } catch {
      // Nothing more to do: a leftover `.part` is never read.
    }
    return false
  }
}
