// Writes on a home whose migrations the explorer does not know go through an msb that knows them.
//
// The explorer never writes rows of a schema it has not seen. A newer msb on the machine has: so the
// explorer still plans and previews (its reads need only the image tables), then runs that msb's
// `image rm` / `image prune`, and reports what msb really did beside what the preview said, from the
// database and the files afterwards. With no such msb the home stays read-only, naming the msb it needs.
//
// Which msb: the binaries msb's SDKs would run, in their order (sdk/rust/lib/config/mod.rs
// `resolve_msb_path_from`, at the 0.6.14 snapshot b30fd164): `MSB_PATH`, `<home>/bin/msb`, then `msb` on
// the PATH (`paths.msb` in config.json is not consulted). Each is asked `msb --version` and, where it
// has it (0.7.2 and 0.6.18 do; observed with the real binaries), the hidden `msb __schema-baseline
// --json`, whose `migrations` list the catalog prefixes that msb accepts. The first whose list holds the home's migrations as a prefix is
// used. One that cannot say is not used: msb itself refuses an unrecognised catalog
// (sdk/rust/lib/db/admission.rs @077cd8a4), but the explorer would then preview on faith.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, lstatSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type Database from 'better-sqlite3'
import type {
  DelegatedFigures,
  DelegatedOutcome,
  DeletionPlan,
  ImagePruneReport,
  RemoveResult,
  SandboxRef
} from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import type { CacheLocation } from '../homes/home'
import { knownMigrations } from '../database/schema'

export interface MsbBinary {
  path: string
  /** Where it was found: `MSB_PATH`, `home bin/`, `PATH`. */
  source: string
  version: string | null
  /** The migrations it knows (`__schema-baseline`), null when it cannot say. */
  migrations: string[] | null
}

export interface MsbChoice {
  /** The msb that knows this home's migrations, if any. */
  use: MsbBinary | null
  /** Every binary looked at, for the message when none fits. */
  checked: MsbBinary[]
  /** The first migration of the home none of them knows. */
  unknown: string | null
}

const probes = new Map<string, { key: string; binary: MsbBinary }>()

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The binaries msb's SDKs would consider, in their order, each path once. */
export function msbCandidates(home: string, env: NodeJS.ProcessEnv): { path: string; source: string }[] {
  const out: { path: string; source: string }[] = []
  const add = (path: string, source: string) => {
    if (path && !out.some((c) => c.path === path) && isExecutable(path)) out.push({ path, source })
  }
  if (env.MSB_PATH) add(env.MSB_PATH, 'MSB_PATH')
  add(join(home, 'bin', process.platform === 'win32' ? 'msb.exe' : 'msb'), 'home bin/')
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir) add(join(dir, process.platform === 'win32' ? 'msb.exe' : 'msb'), 'PATH')
  }
  return out
}

/** Asks one binary what it is (memoised while the file is unchanged). */
export function probeMsb(path: string, source: string): MsbBinary {
  const st = lstatSync(path, { throwIfNoEntry: false })
  const key = `${st?.ino}:${st?.mtimeMs}:${st?.size}`
  const known = probes.get(path)
  if (known && known.key === key) return { ...known.binary, source }
  const run = (args: string[]) =>
    spawnSync(path, args, { encoding: 'utf8', timeout: 15_000, env: { ...process.env, NO_COLOR: '1' } })
  const version = /\bmsb\s+(\S+)/.exec(run(['--version']).stdout ?? '')?.[1] ?? null
  let migrations: string[] | null = null
  const baseline = run(['__schema-baseline', '--json'])
  if (baseline.status === 0) {
    try {
      const parsed = JSON.parse(baseline.stdout) as { migrations?: unknown }
      if (Array.isArray(parsed.migrations) && parsed.migrations.every((m) => typeof m === 'string'))
        migrations = parsed.migrations
    } catch {
      // Not the JSON 0.7.2 prints: it cannot say.
    }
  }
  const binary = { path, source, version, migrations }
  probes.set(path, { key, binary })
  return binary
}

/** Whether `applied` is exactly a prefix of what `binary` knows (msb's own admission rule). */
export function knowsSchema(binary: MsbBinary, applied: readonly string[]): boolean {
  if (!binary.migrations) return false
  const prefix = new Set(binary.migrations.slice(0, applied.length))
  return new Set(applied).size === applied.length && applied.every((m) => prefix.has(m))
}

export function chooseMsb(home: string, applied: readonly string[], env: NodeJS.ProcessEnv): MsbChoice {
  const checked = msbCandidates(home, env).map((c) => probeMsb(c.path, c.source))
  const use = checked.find((b) => knowsSchema(b, applied)) ?? null
  const knownByAny = new Set([...knownMigrations(), ...checked.flatMap((b) => b.migrations ?? [])])
  return { use, checked, unknown: applied.find((m) => !knownByAny.has(m)) ?? null }
}

/** What to say when no msb on this machine knows the home. */
export function needsMsb(choice: MsbChoice): string {
  const what = choice.unknown ? `an msb that knows migration ${choice.unknown}` : 'an msb that knows this schema'
  const seen = choice.checked.length
    ? ` (checked: ${choice.checked.map((b) => `${b.path} = msb ${b.version ?? '?'}`).join('; ')})`
    : ' (none found through MSB_PATH, <home>/bin/msb or the PATH)'
  return `to remove or prune here, install ${what}, or point MSB_PATH at it${seen}`
}

export function appliedMigrations(db: Database.Database): string[] {
  return db.prepare('SELECT version FROM seaql_migrations').pluck().all() as string[]
}

/** Rows and files before and after, to say what msb really did. */
interface Snapshot {
  references: Set<string>
  manifests: Set<string>
  layers: Set<string>
}

function snapshotOf(db: Database.Database): Snapshot {
  const col = (sql: string) => new Set(db.prepare(sql).pluck().all() as string[])
  return {
    references: col('SELECT reference FROM image_ref'),
    manifests: col('SELECT digest FROM manifest'),
    layers: col('SELECT diff_id FROM layer')
  }
}

/** The command msb needs for a plan: its prune for "every unused image", else removal of the planned references. */
export function delegatedArgs(kind: 'remove' | 'prune-unused' | 'prune-chosen', plan: DeletionPlan, force = false) {
  if (kind === 'prune-unused') return ['image', 'prune', '-y', '--format', 'json']
  return ['image', 'rm', ...(force ? ['--force'] : []), ...plan.references]
}

/**
 * Runs `msb …args` on the home and compares the result with `plan`. `db` is the explorer's read-only
 * connection (a reader never blocks msb's writer, and no lock is held while msb runs).
 */
export function runDelegated(
  location: CacheLocation,
  db: Database.Database,
  msb: MsbBinary,
  args: string[],
  plan: DeletionPlan,
  env: NodeJS.ProcessEnv
): DelegatedOutcome {
  const before = snapshotOf(db)
  const run = spawnSync(msb.path, args, {
    encoding: 'utf8',
    timeout: 30 * 60 * 1000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...env, MSB_HOME: location.home, NO_COLOR: '1' }
  })
  if (run.error) throw new CacheError('Internal', `could not run ${msb.path}: ${run.error.message}`)
  const after = snapshotOf(db)
  const gone = <T>(a: Set<T>, b: Set<T>) => [...a].filter((x) => !b.has(x))
  const removedRefs = gone(before.references, after.references)
  const removedManifests = gone(before.manifests, after.manifests)
  const removedLayers = gone(before.layers, after.layers)
  const filesGone = plan.files.filter((f) => !lstatSync(join(location.cacheDir, f.path), { throwIfNoEntry: false }))
  const gonePaths = filesGone.map((f) => f.path)
  const preview: DelegatedFigures = {
    references: plan.references,
    manifests: plan.manifests.length,
    layers: plan.layers.length,
    files: plan.files.length,
    bytes: plan.totalBytes,
    fsmeta: plan.files.filter((f) => f.kind === 'fsmeta').length,
    vmdk: plan.files.filter((f) => f.kind === 'vmdk').length
  }
  const msbReport = parseReport(run.stdout)
  const actual: DelegatedFigures = {
    references: removedRefs,
    manifests: removedManifests.length,
    layers: removedLayers.length,
    files: filesGone.length,
    bytes: filesGone.reduce((n, f) => n + f.bytes, 0),
    fsmeta: filesGone.filter((f) => f.kind === 'fsmeta').length,
    vmdk: filesGone.filter((f) => f.kind === 'vmdk').length
  }
  const differences: string[] = []
  const say = (what: string, planned: string[], done: string[]) => {
    for (const x of planned) if (!done.includes(x)) differences.push(`${what} ${x}: in the preview; msb kept it`)
    for (const x of done) if (!planned.includes(x)) differences.push(`${what} ${x}: msb removed it; not in the preview`)
  }
  say('reference', plan.references, removedRefs)
  say('manifest', plan.manifests, removedManifests)
  say('layer', plan.layers, removedLayers)
  for (const f of plan.files)
    if (!gonePaths.includes(f.path)) differences.push(`file ${f.path}: in the preview; still on disk`)
  if (actual.bytes !== preview.bytes)
    differences.push(`bytes: the preview said ${preview.bytes}, msb freed ${actual.bytes}`)
  return {
    msb: { path: msb.path, version: msb.version, source: msb.source },
    args,
    exitCode: run.status ?? -1,
    message: run.status === 0 ? '' : (run.stderr || run.stdout || '').trim(),
    msbReport,
    preview,
    actual,
    differences
  }
}

/** msb's `image prune --format json` report (snake_case keys), when stdout is one. */
function parseReport(stdout: string): ImagePruneReport | null {
  try {
    const r = JSON.parse(stdout) as Record<string, unknown>
    const n = (k: string) => (typeof r[k] === 'number' ? r[k] : 0)
    if (!('image_refs_removed' in r)) return null
    return {
      imageRefsRemoved: n('image_refs_removed'),
      manifestsRemoved: n('manifests_removed'),
      layersRemoved: n('layers_removed'),
      fsmetaRemoved: n('fsmeta_removed'),
      vmdkRemoved: n('vmdk_removed'),
      bytesReclaimed: typeof r.bytes_reclaimed === 'number' ? r.bytes_reclaimed : null
    }
  } catch {
    return null
  }
}

/** A run that failed having changed nothing is msb's refusal, in its words; a partial failure is a difference. */
export function refusedOrDone(done: DelegatedOutcome): DelegatedOutcome {
  if (done.exitCode === 0) return done
  if (done.actual.references.length === 0 && done.actual.files === 0) {
    const code = /not found/i.test(done.message)
      ? 'ImageNotFound'
      : /in use|dependency|FOREIGN KEY/i.test(done.message)
        ? 'ImageInUse'
        : 'Internal'
    throw new CacheError(code, `msb ${done.msb.version ?? ''} refused: ${done.message}`, { delegated: done })
  }
  done.differences.push(`msb exited with ${done.exitCode}: ${done.message}`)
  return done
}

/** A removal msb did, as the explorer reports removals: what really left the database and the disk. */
export function removeResultOf(done: DelegatedOutcome, heldBy: SandboxRef[]): RemoveResult {
  const { actual } = done
  return {
    removed: actual.references,
    manifestsRemoved: actual.manifests,
    layersRemoved: actual.layers,
    filesRemoved: actual.files,
    bytesReclaimed: actual.bytes,
    heldBy,
    differences: done.differences,
    delegated: done
  }
}

/** msb's own prune report when it printed one; else (msb image rm) the same counters from what left. */
export function pruneReportOf(done: DelegatedOutcome): ImagePruneReport {
  const { actual } = done
  return (
    done.msbReport ?? {
      imageRefsRemoved: actual.references.length,
      manifestsRemoved: actual.manifests,
      layersRemoved: actual.layers,
      fsmetaRemoved: actual.fsmeta,
      vmdkRemoved: actual.vmdk,
      bytesReclaimed: actual.files > 0 ? actual.bytes : null
    }
  )
}
