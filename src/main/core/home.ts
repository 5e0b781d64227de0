// Where the microsandbox home and its cache live, resolved the way msb resolves them
// (crates/utils/lib/lib.rs::resolve_home and sdk/rust/lib/config/mod.rs), so the explorer always
// looks at the same cache as the user's `msb`.
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export interface CacheLocation {
  /** The microsandbox home: holds db/ and (by default) cache/. */
  home: string
  /** The content cache: layers/, fsmeta/, vmdk/, manifests/, flat/, tmp/. */
  cacheDir: string
  /** Always `<home>/db/msb.db`, even when config.json moves the cache. */
  dbPath: string
}

export interface LocateOptions {
  /** An explicit home (`--home DIR`); wins over the environment. */
  home?: string
  env?: NodeJS.ProcessEnv
}

export function locateCache(options: LocateOptions = {}): CacheLocation {
  const env = options.env ?? process.env
  let home = options.home ?? (env.MSB_HOME ? env.MSB_HOME : defaultHome(env))
  home = resolve(home)
  const config = readLocalConfig(env.MSB_CONFIG_PATH ? resolve(env.MSB_CONFIG_PATH) : join(home, 'config.json'))
  // config.json may move the home itself (only when no explicit --home was given) and the cache dir.
  if (!options.home && typeof config.home === 'string' && config.home) home = resolve(config.home)
  const configuredCache = config.paths?.cache
  // msb uses the configured path as given, so a relative one is relative to the working directory, not to the home
  // (checked against msb 0.6.18 in home.test.ts).
  const cacheDir =
    typeof configuredCache === 'string' && configuredCache ? resolve(configuredCache) : join(home, 'cache')
  return { home, cacheDir, dbPath: join(home, 'db', 'msb.db') }
}

function defaultHome(env: NodeJS.ProcessEnv): string {
  const userHome = env.HOME || homedir()
  return userHome ? join(userHome, '.microsandbox') : join(process.cwd(), '.microsandbox')
}

interface LocalConfig {
  home?: unknown
  paths?: { cache?: unknown }
}

/** msb ignores a config.json it cannot parse for these keys; so do we. */
function readLocalConfig(file: string): LocalConfig {
  if (!existsSync(file)) return {}
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    return typeof parsed === 'object' && parsed !== null ? parsed : {}
  } catch {
    return {}
  }
}
