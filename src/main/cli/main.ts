// The command line: a thin layer over the cache core.
//
//   ls [--json]                 images (with --json: exactly `msb image ls --format json`)
//   inspect REF [--json]        one image (with --json: exactly `msb image inspect REF --format json`)
//   df [--json | --csv]         disk usage by kind and by image
//   rm REF… [--force] [--dry-run] [--json] [--flat]   (all references in one write; see remove-command.ts)
//   prune [--dry-run] [--yes] [--json | --csv] [--flat] [--dangling | --image REF… | RULES]
//     RULES: --unused-for DURATION, --keep-last N, --keep PATTERN… (combinable)
//   files REF [--layer N] [--json]   the merged file tree of an image, or one layer's changes
//   history REF [--json]        the build steps of an image and the layer each made (`docker history`)
//   serve [--port N]            the explorer over HTTP for headless hosts
//   --version                   the explorer's version, the msb releases it was tested with, the home's schema
//
// Every command takes --home DIR (else MSB_HOME, else ~/.microsandbox) and --also-home DIR (repeatable:
// other homes sharing this home's cache, whose files must stay). Arguments are parsed with node:util's
// parseArgs: built in, strict, and enough for flags this simple; combinations it cannot express are
// checked in `checkFlags`.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import type { ArgsOf, Operation, PruneScope } from '../../shared/contract'
import { CacheError, invalidArguments, serializeError } from '../../shared/errors'
import { referencesIssue } from '../../shared/reference-rules'
import { parseDuration } from '../../shared/retention'
import { describeSchema, TESTED_MSB_VERSIONS } from '../../shared/msb-versions'
import { artifactKey, type Cache, openCache } from '../core/cache'
import { explained } from './cli-errors'
import { defaultSizeStoreDir } from '../core/files/size-store'
import { describeUsage, describeImages, describeInspect, describePlan, describePrune } from './human'
import { describeFlatPlan, describeFlatReclaim } from './flat-output'
import { describeFiles, filesJson, unreadLayers } from './files-output'
import { describeHistory, historyJson } from './history-output'
import { msbInspectJson, msbListJson, msbPruneJson, prettyJson } from './msb-json'
import { planCsv, usageCsv } from '../../shared/export-csv'
import { progressLine } from './progress-line'
import { removeCommand } from './remove-command'
import { escapeOutput } from './terminal-text'

/**
 * The argument schemas (zod), loaded only by the commands that validate: importing zod costs
 * ~0.1 s of a process start, more than `ls` itself.
 */
async function validateArgs<K extends Operation>(op: K, raw: unknown): Promise<ArgsOf<K>> {
  const { parseArgs: validate } = await import('../../shared/argument-schemas')
  return validate(op, raw)
}

const USAGE = `Image Cache Explorer: the microsandbox image cache, from the command line.

Usage: ice <command> [options]     (from the repository: npm run -s cli -- <command> [options])

Commands:
  ls                      list cached images
  inspect REF             show one image: config and layers (top layer first, the base last;
                          --json keeps msb's order, base first)
  df                      disk usage by kind of file and by image
  rm REF...               remove images (--force removes images in use; their data stays for the sandbox)
  prune                   remove every image no sandbox uses, like msb (--dangling: only dangling data, that is
                          manifests no reference points to, layers no manifest uses and stray files;
                          --image REF: only the given images; or retention rules, below)
  history REF             the build steps of an image, newest first, and the layer each made
                          (as docker history; from the image config msb keeps)
  files REF               the files an image's sandboxes see, with the layer each comes from
                          (--layer N: layer N's own entries, added/modified/deleted/opaque; 0 is the bottom)
  serve                   serve the explorer over HTTP on 127.0.0.1 (for headless hosts)
                          (--port N: the port; default: a free one)

Options:
  --home DIR              microsandbox home (default: $MSB_HOME, else ~/.microsandbox)
  --also-home DIR         another home that shares this cache (repeatable): files it uses are kept,
                          and what none of the homes uses can be reclaimed
  --json                  machine-readable output (ls, inspect, prune: the same as msb's --format json;
                          history: the steps with the layer each made)
  --csv                   df, prune --dry-run: CSV (one row per image; per item the plan deletes or keeps)
  --force                 rm: remove even if a sandbox uses the image
  --dry-run               rm, prune: show what would be removed, change nothing
  -y, --yes               prune: do not ask
  --layer N               files: one layer's entries instead of the merged view
  --flat                  prune: also delete unused flat rootfs artifacts (cache/flat: blobs no ref names,
                          refs of images no longer cached, and those of the images this prune removes);
                          rm: also delete the removed images' flat artifacts. msb never deletes them.
  --port N                serve: the port (default: a free one)
  -V, --version           versions: the explorer's, the msb releases it was tested with, the home's schema
  -h, --help              this help

Retention rules (prune; a reference goes when every rule given chooses it; images a sandbox or
snapshot uses are never chosen):
  --unused-for DURATION   last used longer ago than DURATION: 30d, 12h, 2w, 1w3d
  --keep-last N           keep the N most recently used references of each repository
  --keep PATTERN          never choose references matching the glob (* stops at /, ** crosses it);
                          matched against the reference as stored and normalised; repeatable
`

const OPTIONS = {
  home: { type: 'string' },
  'also-home': { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  force: { type: 'boolean', short: 'f', default: false },
  'dry-run': { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
  dangling: { type: 'boolean', default: false },
  'unused-for': { type: 'string' },
  'keep-last': { type: 'string' },
  keep: { type: 'string', multiple: true },
  csv: { type: 'boolean', default: false },
  image: { type: 'string', multiple: true },
  port: { type: 'string' },
  layer: { type: 'string' },
  flat: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false }
} as const

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

export interface CliOptions {
  /** File sizes kept between runs (CacheOptions.sizeStoreDir): the `ice` bin and `npm run cli` pass the default. */
  sizeStoreDir?: string
}

export async function main(argv: string[], options: CliOptions = {}): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    process.stderr.write(`error: ${flagError(error as Error)}\n`)
    return 2
  }
  const { values: flags, positionals } = parsed
  const [command, ...rest] = positionals
  if (flags.version && !command) {
    const cache = openCache({ home: flags.home })
    try {
      process.stdout.write(versionText(cache))
      return 0
    } finally {
      cache.close()
    }
  }
  if (flags.help || !command) {
    process.stdout.write(USAGE)
    return command || flags.help ? 0 : 2
  }
  const wrong = checkFlags(command, flags)
  if (wrong) {
    process.stderr.write(`error: ${wrong}\n`)
    return 2
  }
  const alsoHomes = flags['also-home'] ?? []
  if (command === 'serve') {
    const { runServe } = await import('../serve/run-serve')
    await runServe({
      home: flags.home,
      alsoHomes,
      port: flags.port === undefined ? undefined : Number(flags.port),
      sizeStoreDir: options.sizeStoreDir
    })
    return 0
  }
  let cache: Cache
  try {
    // No demo builder: no command opens the demo, and loading it (an archive writer, msb runner) costs every start.
    cache = openCache({ home: flags.home, alsoHomes, sizeStoreDir: options.sizeStoreDir })
  } catch (error) {
    process.stderr.write(`error: ${serializeError(error).message}\n`)
    return 2
  }
  try {
    const problem = cache.location.problem
    if (problem) throw new CacheError('InvalidArgument', problem)
    return await run(cache, command, rest, flags)
  } catch (error) {
    const e = serializeError(explained(error))
    process.stderr.write(`error: ${escapeOutput(e.message)}\n`)
    return e.code === 'InvalidArgument' ? 2 : 1
  } finally {
    cache.close()
  }
}

/**
 * parseArgs' complaint in one line, with the nearest known flag when one is close (`--hom` → `--home`)
 * and where to read the rest, instead of the whole help.
 */
export function flagError(error: Error): string {
  // parseArgs: "Unknown option '--hom'. To specify a positional argument starting with a '-', …"
  const first = error.message.split(/\. (?=To specify)/)[0].replace(/\.$/, '')
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(error.message)?.[1]
  const near = unknown ? nearestFlag(unknown.replace(/^-+/, '').split('=')[0]) : null
  return `${first}${near ? `; did you mean --${near}?` : ''} (see --help)`
}

function nearestFlag(typed: string): string | null {
  let best: string | null = null
  let bestDistance = Infinity
  for (const name of Object.keys(OPTIONS)) {
    const d = editDistance(typed, name)
    if (d < bestDistance) [best, bestDistance] = [name, d]
  }
  return bestDistance <= Math.max(1, Math.floor(typed.length / 3)) ? best : null
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]
}

/** Flag combinations parseArgs accepts but that mean nothing, or something else than they seem. */
function checkFlags(command: string, flags: Flags): string | null {
  if (flags.dangling && flags.image?.length)
    return '--dangling and --image cannot be combined: choose one kind of prune'
  if ((flags.dangling || flags.image?.length) && command !== 'prune') return '--dangling and --image are for prune only'
  if (flags.yes && command !== 'prune') return '--yes is for prune only'
  if (flags.force && command !== 'rm') return '--force is for rm only'
  if (flags.flat && command !== 'rm' && command !== 'prune') return '--flat is for rm and prune only'
  if (flags.flat && flags.csv) return '--flat does not go with --csv'
  if (flags['dry-run'] && command !== 'rm' && command !== 'prune') return '--dry-run is for rm and prune only'
  if (flags.port !== undefined) {
    if (command !== 'serve') return '--port is for serve only'
    // Decimal only: Number('0x10') would be 16 and Number('') 0.
    if (!/^\d{1,5}$/.test(flags.port) || Number(flags.port) > 65535) {
      return `--port must be a decimal number from 0 to 65535, not "${flags.port}"`
    }
  }
  return null
}

async function run(cache: Cache, command: string, args: string[], flags: Flags): Promise<number> {
  // Human output is escaped as a whole (JSON escapes itself): no control character reaches the terminal.
  const out = (text: string) => {
    const safe = flags.json ? text : escapeOutput(text)
    process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`)
  }
  switch (command) {
    case 'ls': {
      if (flags.json) return (out(prettyJson(msbListJson(cache.listRows()))), 0)
      const images = cache.list()
      if (images.length === 0) {
        process.stderr.write('No images found.\n')
        return 0
      }
      return (out(describeImages(images, cache.usage())), 0)
    }
    case 'inspect': {
      const reference = single(args, 'inspect REF')
      await validateArgs('inspect', { reference })
      if (flags.json) {
        const { row, detail, configRow } = cache.inspectRows(reference)
        return (out(prettyJson(msbInspectJson(row, detail, configRow))), 0)
      }
      return (out(describeInspect(cache.insight({ reference }))), 0)
    }
    case 'df': {
      if (flags.json && flags.csv) throw new CacheError('InvalidArgument', 'choose one of --json and --csv')
      const usage = cache.usage()
      if (flags.csv) return (process.stdout.write(usageCsv(usage)), 0)
      return (out(flags.json ? prettyJson(usage) : describeUsage(usage, cache.status())), 0)
    }
    case 'history': {
      const reference = single(args, 'history REF')
      await validateArgs('history', { reference })
      const history = cache.history({ reference })
      const detail = cache.inspect({ reference })
      return (out(flags.json ? prettyJson(historyJson(history, detail)) : describeHistory(history, detail)), 0)
    }
    case 'files': {
      const reference = single(args, 'files REF [--layer N]')
      const layer = flags.layer === undefined ? undefined : /^\d+$/.test(flags.layer) ? Number(flags.layer) : NaN
      const valid = await validateArgs('imageFiles', layer === undefined ? { reference } : { reference, layer })
      const files = cache.imageFiles(valid)
      out(flags.json ? JSON.stringify(filesJson(files), null, 2) : describeFiles(files))
      // A view missing a layer's files is not the image's view: say which layer, and fail, as inspect flags the image.
      const unread = unreadLayers(files)
      for (const line of unread) process.stderr.write(`error: ${escapeOutput(line)}\n`)
      return unread.length > 0 ? 1 : 0
    }
    case 'rm': {
      // Strings from the command line and a flag: the reference rule alone checks them, without zod.
      const issue = referencesIssue(args)
      if (issue) {
        throw invalidArguments('removePlan', [
          { path: ['references', ...issue.path.map(String)], message: issue.message }
        ])
      }
      return removeCommand(
        cache,
        args,
        { force: flags.force, json: flags.json, dryRun: flags['dry-run'], flat: flags.flat },
        out
      )
    }
    case 'prune':
      return prune(cache, flags, out)
    default:
      throw new CacheError('InvalidArgument', `unknown command "${command}"; see --help`)
  }
}

function versionText(cache: Cache): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  const status = cache.status()
  return [
    `image-cache-explorer ${pkg.version}`,
    `tested with msb ${TESTED_MSB_VERSIONS.join(', ')}`,
    `home ${status.home}: ${describeSchema(status.schema)}`,
    ''
  ].join('\n')
}

function single(args: string[], usage: string): string {
  if (args.length !== 1) throw new CacheError('InvalidArgument', `usage: ${usage}`)
  return args[0]
}

async function prune(cache: Cache, flags: Flags, out: (t: string) => void): Promise<number> {
  const scope = pruneScope(flags)
  if (flags.json && flags.csv) throw new CacheError('InvalidArgument', 'choose one of --json and --csv')
  if (flags.csv && !flags['dry-run']) throw new CacheError('InvalidArgument', '--csv goes with --dry-run (the preview)')
  await validateArgs('prunePlan', { scope })
  const plan = cache.prunePlan({ scope })
  // Off by default: without --flat every output is msb's own.
  const flat = flags.flat ? cache.flatPlan({ removing: plan.references }) : null
  if (flags['dry-run']) {
    if (flags.csv) return (process.stdout.write(planCsv(plan)), 0)
    if (flags.json) out(prettyJson(flat ? { ...plan, flat } : plan))
    else out(describePlan(plan, 'prune') + (flat ? `\n${describeFlatPlan(flat)}` : ''))
    return 0
  }
  if (!flags.yes) {
    if (!process.stdin.isTTY) {
      throw new CacheError('InvalidArgument', 'non-interactive terminal; use --yes to prune cached images')
    }
    process.stderr.write(escapeOutput(describePlan(plan, 'prune')))
    if (flat) process.stderr.write(escapeOutput(`${describeFlatPlan(flat)}\n`))
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    const what = scope.kind === 'unused' ? 'Remove all cached images not used by sandboxes?' : 'Remove the data above?'
    const answer = await rl.question(`${what} [y/N] `)
    rl.close()
    if (answer.trim().toLowerCase() !== 'y') {
      out('Aborted.')
      return 0
    }
  }
  const progress = progressLine(process.stderr, flags.json)
  let result
  try {
    result = cache.prune({ scope, fingerprint: plan.fingerprint }, { onProgress: progress.listener })
  } finally {
    progress.end()
  }
  const reclaimed = flat
    ? cache.reclaimFlat({ removing: plan.references, paths: flat.artifacts.map(artifactKey) })
    : null
  if (flags.json)
    out(
      prettyJson(
        reclaimed ? { ...(msbPruneJson(result.report) as object), flat: reclaimed } : msbPruneJson(result.report)
      )
    )
  else out(describePrune(result) + (reclaimed ? `\n${describeFlatReclaim(reclaimed)}` : ''))
  return 0
}

/** The scope the flags ask for; mixing kinds of scope is an error, so nothing unexpected is pruned. */
function pruneScope(flags: Flags): PruneScope {
  // Checked here so the message names the flag, not the argument's path inside the operation.
  const unusedFor = flags['unused-for']
  const parsed = unusedFor === undefined ? null : parseDuration(unusedFor)
  if (parsed && 'error' in parsed) throw new CacheError('InvalidArgument', `--unused-for: ${parsed.error}`)
  const rules = {
    ...(flags['unused-for'] !== undefined ? { unusedFor: flags['unused-for'] } : {}),
    ...(flags['keep-last'] !== undefined ? { keepLast: wholeNumber(flags['keep-last'], '--keep-last') } : {}),
    ...(flags.keep?.length ? { keep: flags.keep } : {})
  }
  const kinds = [
    flags.image?.length ? '--image' : null,
    flags.dangling ? '--dangling' : null,
    Object.keys(rules).length ? 'rules' : null
  ]
  const given = kinds.filter((k) => k !== null)
  if (given.length > 1)
    throw new CacheError(
      'InvalidArgument',
      `choose one of --image, --dangling or retention rules (got ${given.join(' and ')})`
    )
  if (flags.image?.length) return { kind: 'images', references: flags.image }
  if (flags.dangling) return { kind: 'dangling' }
  if (Object.keys(rules).length) return { kind: 'rules', rules }
  return { kind: 'unused' }
}

function wholeNumber(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new CacheError('InvalidArgument', `${flag} must be a whole number, got "${text}"`)
  return Number(text)
}

// Run when executed directly (tsx src/main/cli/main.ts …), not when imported by tests.
if (process.argv[1] && /cli[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2), { sizeStoreDir: defaultSizeStoreDir() }).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`error: ${(error as Error).message}\n`)
      process.exitCode = 1
    }
  )
}
