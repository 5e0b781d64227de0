// Where the microsandbox home and its cache live, resolved the way msb resolves them
// (crates/utils/lib/lib.rs::resolve_home and sdk/rust/lib/config/mod.rs), so the explorer always
// looks at the same cache as the user's `msb`. Checked against msb 0.6.18 in home.test.ts:
//   - the home is `--home` (the explorer's spelling of MSB_HOME), else MSB_HOME, else ~/.microsandbox;
//   - config.json is MSB_CONFIG_PATH, else `<home>/config.json`; its top-level `home` moves the home,
//     its `paths.cache` moves the cache; both are taken as written: relative to the working directory,
//     no `~` expansion, and an empty string is the working directory itself; a value that is not a
//     string is ignored;
//   - a config.json msb cannot read or parse makes msb refuse to run: the explorer refuses too, with
//     msb's words.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { isDatabaseFile } from '../database/database-inodes'

export interface CacheLocation {
  /** The microsandbox home: holds db/ and (by default) cache/. */
  home: string
  /** The content cache: layers/, fsmeta/, vmdk/, manifests/, flat/, tmp/. */
  cacheDir: string
  /** Always `<home>/db/msb.db`, even when config.json moves the cache. */
  dbPath: string
  /** Why this home cannot be used (a bad config.json, a `--home` that is not a directory); absent when fine. */
  problem?: string
}

export interface LocateOptions {
  /** An explicit home (`--home DIR`); wins over the environment. */
  home?: string
  env?: NodeJS.ProcessEnv
}

export function locateCache(options: LocateOptions = {}): CacheLocation {
  const env = options.env ?? process.env
  const start = resolve(options.home ?? (env.MSB_HOME ? env.MSB_HOME : defaultHome(env)))
  const startProblem = options.home !== undefined ? explicitHomeProblem(start) : homeProblem(start)
  if (startProblem) return withProblem(start, join(start, 'cache'), startProblem)
  const configPath = env.MSB_CONFIG_PATH ? resolve(env.MSB_CONFIG_PATH) : join(start, 'config.json')
  const config = readLocalConfig(configPath)
  if ('problem' in config) return withProblem(start, join(start, 'cache'), config.problem)
  // msb takes both values as given: resolve() makes a relative one relative to the working directory and
  // an empty one the working directory itself, and leaves `~` alone, as msb does.
  const home = typeof config.home === 'string' ? resolve(config.home) : start
  const configuredCache = config.paths?.cache
  const cacheDir = typeof configuredCache === 'string' ? resolve(configuredCache) : join(home, 'cache')
  const problem = home === start ? undefined : homeProblem(home)
  return problem ? withProblem(home, cacheDir, problem) : { home, cacheDir, dbPath: databasePathOf(home) }
}

/** msb's catalog of a home: `<home>/db/msb.db` (msb keeps it there whatever `paths.cache` says). */
export function databasePathOf(home: string): string {
  return join(home, 'db', 'msb.db')
}

function withProblem(home: string, cacheDir: string, problem: string): CacheLocation {
  return { home, cacheDir, dbPath: databasePathOf(home), problem }
}

function defaultHome(env: NodeJS.ProcessEnv): string {
  const userHome = env.HOME || homedir()
  return userHome ? join(userHome, '.microsandbox') : join(process.cwd(), '.microsandbox')
}

interface LocalConfig {
  home?: unknown
  paths?: { cache?: unknown } | null
}

/**
 * config.json as msb reads it: absent is fine; unreadable or not JSON is msb's "invalid config" error
 * (msb: `invalid config: failed to parse SDK config at <path>: <reason>`). Any JSON value parses: msb
 * accepts `[]` or `{"paths": null}` and uses its defaults.
 */
function readLocalConfig(file: string): LocalConfig | { problem: string } {
  let text: string
  try {
    const read = readRegularFile(file, MAX_CONFIG_BYTES)
    if ('problem' in read)
      return { problem: `invalid config: failed to read SDK config at ${file}: it ${read.problem}` }
    text = read.text
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    return { problem: `invalid config: failed to read SDK config at ${file}: ${(error as Error).message}` }
  }
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {}
  } catch (error) {
    return { problem: `invalid config: failed to parse SDK config at ${file}: ${(error as Error).message}` }
  }
}

/** msb's config is a few hundred bytes; a megabyte is already far more than any real one. */
export const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * A regular file's text, at most `max` bytes. A FIFO would block every command until something writes
 * to it and a device such as /dev/zero never ends (a symlink to either is followed as msb follows it),
 * so only a regular file is read; opened without blocking, and checked again on the open descriptor in
 * case the path changed in between.
 */
function readRegularFile(file: string, max: number): { text: string } | { problem: string } {
  const before = statSync(file)
  const notRegular = (st: Stats) => (st.isFile() ? null : `is not a regular file (${fileKind(st)})`)
  const tooLarge = (size: number) => (size > max ? `is too large (${size} bytes, at most ${max})` : null)
  // A config path that names a database this process holds (another msb process's MSB_CONFIG_PATH, read by
  // msb-processes.ts) is never opened: one close of it would drop SQLite's locks (database-inodes.ts).
  if (isDatabaseFile(file))
    return { problem: 'is a SQLite database file the explorer has open; the explorer will not read it' }
  const early = notRegular(before) ?? tooLarge(before.size)
  if (early) return { problem: `${early}; the explorer will not read it` }
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY)
  try {
    const st = fstatSync(fd)
    const late = notRegular(st) ?? tooLarge(st.size)
    if (late) return { problem: `${late}; the explorer will not read it` }
    // One byte more than allowed tells a file that grew past the limit since the stat.
    const buffer = Buffer.alloc(Math.min(st.size, max) + 1)
    let length = 0
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0;)
      length += n
    if (length > max) return { problem: `is too large (over ${max} bytes); the explorer will not read it` }
    return { text: buffer.subarray(0, length).toString('utf8') }
  } finally {
    closeSync(fd)
  }
}

function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory'
  if (st.isFIFO()) return 'a named pipe'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  if (st.isSocket()) return 'a socket'
  return 'not a file'
}

/** A home named with `--home` must exist: msb would create it, but the explorer only reads what is there. */
function explicitHomeProblem(home: string): string | undefined {
  const st = safeStat(home)
  if (!st) return `the home ${home} does not exist`
  return st.isDirectory() ? undefined : `the home ${home} is not a directory`
}

/** A home that exists but is not a directory (msb: "Not a directory (os error 20)"); a missing one is an empty cache. */
function homeProblem(home: string): string | undefined {
  const st = safeStat(home)
  return st && !st.isDirectory() ? `the home ${home} is not a directory` : undefined
}

function safeStat(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}
