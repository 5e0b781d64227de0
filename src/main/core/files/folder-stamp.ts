// A folder's stamp: its identity and last change. msb adds, replaces and removes cache files by renaming them in
// and unlinking them, which changes the folder's times, so a folder with the same stamp holds the same entries.
// The times come from the kernel's coarse clock: a folder changed within two ticks of it may change again and keep
// its stamp, so such a folder has no stamp to trust yet. One rule for everything that trusts a folder to be
// unchanged: the claims asked before each unlink (live-claims.ts), the figures and listings kept between runs
// (listing-store.ts, kept-folder-listings.ts).
import { statSync } from 'node:fs'

/** Two ticks of the coarse clock at its slowest (HZ=100). */
export const RACY_NS = 20_000_000n

/** The stamp of a folder that cannot be stat-ed (missing): a state of its own, as stable as any other. */
export const NO_FOLDER = '-'

/**
 * `dev:ino:mtime:ctime` of the folder at `path` (a symlink followed), NO_FOLDER when it cannot be stat-ed, and
 * null while its last change is too recent to be told from one still to come.
 */
export function folderStamp(path: string, nowNs = BigInt(Date.now()) * 1_000_000n): string | null {
  let st
  try {
    st = statSync(path, { bigint: true })
  } catch {
    return NO_FOLDER
  }
  const changed = st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs
  if (nowNs - changed < RACY_NS) return null
  return `${st.dev}:${st.ino}:${st.mtimeNs}:${st.ctimeNs}`
}
