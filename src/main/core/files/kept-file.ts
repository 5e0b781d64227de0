// The explorer's own files kept between runs (stored sizes, kept figures and listings), in its cache folder, never
// in msb's home: written whole or not at all, and never needed. A reader that finds one missing, partial or
// foreign works the thing out again.
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** A `.part` older than this was left by a run that was killed while writing; a writer takes milliseconds. */
export const STALE_PART_MS = 60_000

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
  } catch {
    try {
      rmSync(part, { force: true })
    } catch {
      // Nothing more to do: a leftover `.part` is never read.
    }
    return false
  }
  removeStaleParts(dirname(file), `${basename(file)}.`)
  return true
}

/**
 * The `.part` files in `dir` whose names start with `prefix` that a killed run left (never read, but each as
 * large as its file); one still being written is younger than STALE_PART_MS and stays.
 */
export function removeStaleParts(dir: string, prefix: string, now = Date.now()): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.part')) continue
      const path = join(dir, name)
      if (now - lstatSync(path).mtimeMs > STALE_PART_MS) rmSync(path, { force: true })
    }
  } catch {
    // Gone meanwhile, or another run's: it is removed by a later write.
  }
}
