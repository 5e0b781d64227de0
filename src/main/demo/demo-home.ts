// Where demo caches live and how one is deleted again: only a directory the demo builder made, directly
// in the system's temporary folder under the demo prefix, never a symlink and never anything else.
import { lstatSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, resolve } from 'node:path'

export const DEMO_HOME_PREFIX = 'image-cache-explorer-demo-'

export function isDemoHome(home: string): boolean {
  const path = resolve(home)
  return dirname(path) === resolve(tmpdir()) && basename(path).startsWith(DEMO_HOME_PREFIX)
}

/** Deletes a demo home; refuses (throws) for any other path. */
export function discardDemoHome(home: string): void {
  if (!isDemoHome(home)) throw new Error(`not a demo cache home: ${home}`)
  let st
  try {
    st = lstatSync(home)
  } catch {
    return
  }
  if (!st.isDirectory()) throw new Error(`not a demo cache home: ${home}`)
  rmSync(home, { recursive: true, force: true })
}
