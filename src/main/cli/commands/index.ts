// The CLI's commands, in the order --help lists them. A new command is a file in this folder and a
// line here: the help, the flag checks and the dispatch follow from its declaration. Each file loads
// only what its code needs at once; anything slow to load (the server, zod) it imports when it runs.
import type { Command } from '../command'
import { df } from './df'
import { files } from './files'
import { history } from './history'
import { inspect } from './inspect'
import { ls } from './ls'
import { prune } from './prune'
import { rm } from './rm'
import { serve } from './serve'

export const COMMANDS: readonly Command[] = [ls, inspect, df, rm, prune, history, files, serve]

export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name)
}
