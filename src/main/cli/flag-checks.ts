// The command line's refusals before anything runs: a flag parseArgs does not know (one line, with
// the nearest known flag), and a known flag given to a command that does not take it.
import type { Command } from './command'
import { COMMANDS } from './commands'
import { FLAG_NAMES, FLAGS, type FlagName, type Flags, type FlagSpec } from './flags'

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
  for (const name of FLAG_NAMES) {
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

/** Whether a flag was given: true, a value, or a non-empty list. */
function given(value: Flags[FlagName]): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false
}

/** The commands that take a flag, as a refusal lists them: `rm and prune`. */
function takers(name: FlagName): string {
  const names = COMMANDS.filter((c) => (c.flags as readonly FlagName[]).includes(name)).map((c) => c.name)
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/**
 * The first flag given (in the catalogue's order) that this command does not take, as a refusal
 * (`--yes is for prune only`); then the command's own check of the flags it takes.
 */
export function flagRefusal(command: Command, flags: Flags): string | null {
  for (const name of FLAG_NAMES) {
    const spec: FlagSpec = FLAGS[name]
    if (spec.everyCommand || !given(flags[name])) continue
    if ((command.flags as readonly FlagName[]).includes(name)) continue
    const what = spec.refusedAs ?? `--${name}`
    return `${what} ${what.includes(' and ') ? 'are' : 'is'} for ${takers(name)} only`
  }
  return command.check?.(flags) ?? null
}
