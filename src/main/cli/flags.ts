// Every flag the CLI knows, once: how parseArgs reads it, the word --help shows for its value, and
// its help text. Which commands take a flag is said by each command (commands/*.ts); a flag several
// commands take has one help text that names them, so the help says it once.
//
// The order is the help's order within each section.
import type { ParseArgsOptionsConfig } from 'node:util'

export interface FlagSpec {
  readonly type: 'boolean' | 'string'
  readonly short?: string
  /** Repeatable: the values gather into a list. */
  readonly multiple?: true
  /** The word --help shows for its value (`--home DIR`); string flags only. */
  readonly value?: string
  /** Taken by every command (and by none in particular). */
  readonly everyCommand?: true
  /** The help's section it is listed in; `summary`: only in its command's summary. */
  readonly section: 'options' | 'retention' | 'summary'
  /** Its help text, a line each (the first beside the flag, the rest below it). */
  readonly help: readonly string[]
  /** How a refusal names it on a command that does not take it, when with its siblings. */
  readonly refusedAs?: string
}

export const FLAGS = {
  home: {
    type: 'string',
    value: 'DIR',
    everyCommand: true,
    section: 'options',
    help: ['microsandbox home (default: $MSB_HOME, else ~/.microsandbox)']
  },
  'also-home': {
    type: 'string',
    multiple: true,
    value: 'DIR',
    everyCommand: true,
    section: 'options',
    help: [
      'another home that shares this cache (repeatable): files it uses are kept,',
      'and what none of the homes uses can be reclaimed'
    ]
  },
  json: {
    type: 'boolean',
    section: 'options',
    help: [
      "machine-readable output (ls, inspect, prune: the same as msb's --format json;",
      'history: the steps with the layer each made)'
    ]
  },
  csv: {
    type: 'boolean',
    section: 'options',
    help: ['df, prune --dry-run: CSV (one row per image; per item the plan deletes or keeps)']
  },
  force: { type: 'boolean', short: 'f', section: 'options', help: ['rm: remove even if a sandbox uses the image'] },
  'dry-run': { type: 'boolean', section: 'options', help: ['rm, prune: show what would be removed, change nothing'] },
  yes: { type: 'boolean', short: 'y', section: 'options', help: ['prune: do not ask'] },
  layer: {
    type: 'string',
    value: 'N',
    section: 'options',
    help: ["files: one layer's entries instead of the merged view"]
  },
  flat: {
    type: 'boolean',
    section: 'options',
    help: [
      'prune: also delete unused flat rootfs artifacts (cache/flat: blobs no ref names,',
      'refs of images no longer cached, and those of the images this prune removes);',
      "rm: also delete the removed images' flat artifacts. msb never deletes them."
    ]
  },
  port: { type: 'string', value: 'N', section: 'options', help: ['serve: the port (default: a free one)'] },
  version: {
    type: 'boolean',
    short: 'V',
    everyCommand: true,
    section: 'options',
    help: ["versions: the explorer's, the msb releases it was tested with, the home's schema"]
  },
  help: { type: 'boolean', short: 'h', everyCommand: true, section: 'options', help: ['this help'] },
  'unused-for': {
    type: 'string',
    value: 'DURATION',
    section: 'retention',
    help: ['last used longer ago than DURATION: 30d, 12h, 2w, 1w3d']
  },
  'keep-last': {
    type: 'string',
    value: 'N',
    section: 'retention',
    help: ['keep the N most recently used references of each repository']
  },
  keep: {
    type: 'string',
    multiple: true,
    value: 'PATTERN',
    section: 'retention',
    help: [
      'never choose references matching the glob (* stops at /, ** crosses it);',
      'matched against the reference as stored and normalised; repeatable'
    ]
  },
  // The two other kinds of prune, told in prune's summary.
  dangling: {
    type: 'boolean',
    section: 'summary',
    help: ['only dangling data'],
    refusedAs: '--dangling and --image'
  },
  image: {
    type: 'string',
    multiple: true,
    value: 'REF',
    section: 'summary',
    help: ['only the given images'],
    refusedAs: '--dangling and --image'
  }
} as const satisfies Record<string, FlagSpec>

export type FlagName = keyof typeof FLAGS
/** The flags every command takes. */
export type EveryCommandFlag = {
  [K in FlagName]: (typeof FLAGS)[K] extends { everyCommand: true } ? K : never
}[FlagName]
/** The flags a command chooses to take. */
export type CommandFlag = Exclude<FlagName, EveryCommandFlag>

type ValueOf<F> = F extends { type: 'boolean' }
  ? boolean
  : F extends { multiple: true }
    ? string[] | undefined
    : string | undefined

/** The parsed command line: booleans default to false, strings are undefined when not given. */
export type Flags = { readonly [K in FlagName]: ValueOf<(typeof FLAGS)[K]> }

export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[]

/** The catalogue as node:util's parseArgs takes it. */
export const PARSE_OPTIONS: ParseArgsOptionsConfig = Object.fromEntries(
  FLAG_NAMES.map((name) => {
    const f: FlagSpec = FLAGS[name]
    return [
      name,
      {
        type: f.type,
        ...(f.short ? { short: f.short } : {}),
        ...(f.multiple ? { multiple: true } : {}),
        ...(f.type === 'boolean' ? { default: false } : {})
      }
    ]
  })
)

/** `-y, --yes`, `--home DIR`: the flag as --help shows it. */
export function flagLabel(name: FlagName): string {
  const f: FlagSpec = FLAGS[name]
  return `${f.short ? `-${f.short}, ` : ''}--${name}${f.value ? ` ${f.value}` : ''}`
}
