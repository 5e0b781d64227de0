// The command line: a thin layer over the cache core. Its commands are declared one file each in
// commands/ (listed in commands/index.ts), its flags once in flags.ts; the help (help.ts), the flag
// checks (flag-checks.ts) and the dispatch below all follow from those declarations.
//
// Every command takes --home DIR (else MSB_HOME, else ~/.microsandbox) and --also-home DIR (repeatable:
// other homes sharing this home's cache, whose files must stay). Arguments are parsed with node:util's
// parseArgs: built in, strict, and enough for flags this simple; combinations it cannot express are
// checked by the commands' `check`.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { CacheError, serializeError } from '../../shared/errors'
import { describeSchema, TESTED_MSB_VERSIONS } from '../../shared/msb-versions'
import { type Cache, openCache } from '../core/cache'
import { defaultSizeStoreDir } from '../core/files/size-store'
import { explained } from './cli-errors'
import type { CliOptions } from './command'
import { commandNamed } from './commands'
import { flagError, flagRefusal } from './flag-checks'
import { type Flags, PARSE_OPTIONS } from './flags'
import { usageText } from './help'
import { escapeOutput } from './terminal-text'

export type { CliOptions } from './command'

export async function main(argv: string[], options: CliOptions = {}): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    process.stderr.write(`error: ${flagError(error as Error)}\n`)
    return 2
  }
  const flags = parsed.values as unknown as Flags
  const [name, ...args] = parsed.positionals
  if (flags.version && !name) {
    const cache = openCache({ home: flags.home })
    try {
      process.stdout.write(versionText(cache))
      return 0
    } finally {
      cache.close()
    }
  }
  if (flags.help || !name) {
    process.stdout.write(usageText())
    return name || flags.help ? 0 : 2
  }
  const command = commandNamed(name)
  const refusal = command ? flagRefusal(command, flags) : `unknown command "${escapeOutput(name)}"; see --help`
  if (refusal || !command) {
    process.stderr.write(`error: ${refusal}\n`)
    return 2
  }
  // Human output is escaped as a whole (JSON escapes itself): no control character reaches the terminal.
  const out = (text: string) => {
    const safe = flags.json ? text : escapeOutput(text)
    process.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`)
  }
  const call = { args, flags, out }
  if ('start' in command) return command.start(call, options)
  let cache: Cache
  try {
    // No demo builder: no command opens the demo, and loading it (an archive writer, msb runner) costs every start.
    cache = openCache({ home: flags.home, alsoHomes: flags['also-home'] ?? [], sizeStoreDir: options.sizeStoreDir })
  } catch (error) {
    process.stderr.write(`error: ${serializeError(error).message}\n`)
    return 2
  }
  try {
    const problem = cache.location.problem
    if (problem) throw new CacheError('InvalidArgument', problem)
    return await command.run(cache, call)
  } catch (error) {
    const e = serializeError(explained(error))
    process.stderr.write(`error: ${escapeOutput(e.message)}\n`)
    return e.code === 'InvalidArgument' ? 2 : 1
  } finally {
    cache.close()
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
