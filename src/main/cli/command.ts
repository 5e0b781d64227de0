// What a command of the CLI declares (one file each in commands/, listed in commands/index.ts): its
// name, how --help shows it, the flags it takes, and what it does. The help, the refusal of a flag a
// command does not take and the dispatch all come from these declarations.
import type { ArgsOf, Operation } from '../../shared/contract'
import { CacheError } from '../../shared/errors'
import type { Cache } from '../core/cache'
import type { CommandFlag, EveryCommandFlag, Flags } from './flags'

/** What the process that runs the CLI hands it, besides the command line. */
export interface CliOptions {
  /** File sizes kept between runs (CacheOptions.sizeStoreDir): the `ice` bin and `npm run cli` pass the default. */
  sizeStoreDir?: string
}

/** The flags a command's code can read: its own and those every command takes. */
export type FlagsOf<F extends CommandFlag> = Pick<Flags, F | EveryCommandFlag>

interface About<F extends CommandFlag> {
  name: string
  /** The command and its arguments as --help shows them: `inspect REF`. */
  synopsis: string
  /** Its --help text, a line each (the first beside the synopsis, the rest below it). */
  summary: readonly string[]
  /** The flags it takes besides those every command takes; any other is refused before it runs. */
  flags: readonly F[]
  /** Flag combinations it takes that mean nothing together: the refusal, checked before the home is opened. */
  check?(flags: FlagsOf<F>): string | null
}

export interface Call<F extends CommandFlag> {
  /** The positional arguments after the command's name. */
  args: string[]
  flags: FlagsOf<F>
  /** Writes a result to stdout on a line of its own; human output escaped, JSON as it is. */
  out: (text: string) => void
}

/** A command on the home's cache, which the CLI opens before and closes after it. */
export interface CacheCommand<F extends CommandFlag = CommandFlag> extends About<F> {
  run(cache: Cache, call: Call<F>): number | Promise<number>
}

/** A command that opens the home itself (serve: the app's own session). */
export interface OwnHomeCommand<F extends CommandFlag = CommandFlag> extends About<F> {
  start(call: Call<F>, options: CliOptions): Promise<number>
}

export type Command = CacheCommand | OwnHomeCommand

/** Declares a command; the compiler then lets its code read only the flags it lists. */
export function defineCommand<const F extends CommandFlag>(command: CacheCommand<F> | OwnHomeCommand<F>): Command {
  return command
}

/**
 * The argument schemas (zod), loaded only by the commands that validate: importing zod costs
 * ~0.1 s of a process start, more than `ls` itself.
 */
export async function validateArgs<K extends Operation>(op: K, raw: unknown): Promise<ArgsOf<K>> {
  const { parseArgs: validate } = await import('../../shared/argument-schemas')
  return validate(op, raw)
}

/** The one positional argument a command takes, or its usage as the error. */
export function single(args: string[], usage: string): string {
  if (args.length !== 1) throw new CacheError('InvalidArgument', `usage: ${usage}`)
  return args[0]
}
