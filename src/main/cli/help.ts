// `ice --help`: written from the command table and the flag catalogue, so it lists every command
// and flag there is, each where its declaration says.
import { COMMANDS } from './commands'
import { FLAG_NAMES, FLAGS, type FlagSpec, flagLabel } from './flags'

const HEADER = `Image Cache Explorer: the microsandbox image cache, from the command line.

Usage: ice <command> [options]     (from the repository: npm run -s cli -- <command> [options])
`

const RETENTION = `Retention rules (prune; a reference goes when every rule given chooses it; images a sandbox or
snapshot uses are never chosen):`

/** A term and its text, the text in a column of its own (26 characters in). */
function entry(term: string, lines: readonly string[]): string {
  const [first, ...rest] = lines
  return [`  ${term.padEnd(22)}  ${first}`, ...rest.map((line) => `${' '.repeat(26)}${line}`)].join('\n')
}

function flagsIn(section: FlagSpec['section']): string {
  return FLAG_NAMES.filter((name) => FLAGS[name].section === section)
    .map((name) => entry(flagLabel(name), FLAGS[name].help))
    .join('\n')
}

export function usageText(): string {
  return [
    HEADER,
    'Commands:',
    ...COMMANDS.map((c) => entry(c.synopsis, c.summary)),
    '',
    'Options:',
    flagsIn('options'),
    '',
    RETENTION,
    flagsIn('retention'),
    ''
  ].join('\n')
}
