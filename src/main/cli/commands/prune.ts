// `ice prune`: removes every image no sandbox uses, like msb; or only dangling data, only given
// images, or what retention rules choose.
import { createInterface } from 'node:readline/promises'
import type { PruneScope } from '../../../shared/contract'
import { CacheError } from '../../../shared/errors'
import { planCsv } from '../../../shared/export-csv'
import { parseDuration } from '../../../shared/retention'
import { artifactKey, type Cache } from '../../core/cache'
import { type Call, defineCommand, type FlagsOf, validateArgs } from '../command'
import { describeFlatPlan, describeFlatReclaim } from '../flat-output'
import { describePlan, describePrune } from '../human'
import { msbPruneJson, prettyJson } from '../msb-json'
import { progressLine } from '../progress-line'
import { escapeOutput } from '../terminal-text'

const FLAGS = ['dry-run', 'yes', 'json', 'csv', 'flat', 'dangling', 'image', 'unused-for', 'keep-last', 'keep'] as const
type PruneFlags = FlagsOf<(typeof FLAGS)[number]>

export const prune = defineCommand({
  name: 'prune',
  synopsis: 'prune',
  summary: [
    'remove every image no sandbox uses, like msb (--dangling: only dangling data, that is',
    'manifests no reference points to, layers no manifest uses and stray files;',
    '--image REF: only the given images; or retention rules, below)'
  ],
  flags: FLAGS,
  check(flags) {
    if (flags.dangling && flags.image?.length)
      return '--dangling and --image cannot be combined: choose one kind of prune'
    if (flags.flat && flags.csv) return '--flat does not go with --csv'
    return null
  },
  run: runPrune
})

async function runPrune(cache: Cache, { flags, out }: Call<(typeof FLAGS)[number]>): Promise<number> {
  const scope = pruneScope(flags)
  if (flags.json && flags.csv) throw new CacheError('InvalidArgument', 'choose one of --json and --csv')
  if (flags.csv && !flags['dry-run']) throw new CacheError('InvalidArgument', '--csv goes with --dry-run (the preview)')
  await validateArgs('prunePlan', { scope })
  // `--yes` alone shows no preview: the prune decides at once, as msb's `prune -y` does (a preview costs a
  // decision of its own, ~0.15 s at 10,000 images). --flat reclaims what a preview of the images names.
  const plan = flags.yes && !flags['dry-run'] && !flags.flat ? null : cache.prunePlan({ scope })
  // Off by default: without --flat every output is msb's own.
  const flat = flags.flat && plan ? cache.flatPlan({ removing: plan.references }) : null
  if (flags['dry-run'] && plan) {
    if (flags.csv) return (process.stdout.write(planCsv(plan)), 0)
    if (flags.json) out(prettyJson(flat ? { ...plan, flat } : plan))
    else out(describePlan(plan, 'prune') + (flat ? `\n${describeFlatPlan(flat)}` : ''))
    return 0
  }
  if (!flags.yes && plan) {
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
    result = cache.prune({ scope, fingerprint: plan?.fingerprint }, { onProgress: progress.listener })
  } finally {
    progress.end()
  }
  const reclaimed =
    flat && plan ? cache.reclaimFlat({ removing: plan.references, paths: flat.artifacts.map(artifactKey) }) : null
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
function pruneScope(flags: PruneFlags): PruneScope {
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
