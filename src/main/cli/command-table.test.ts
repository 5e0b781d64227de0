// The command table is the CLI: --help lists every command and flag it declares, and each command
// takes exactly the flags it declares (every other known flag is refused, naming who takes it).
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import type { Command } from './command'
import { COMMANDS } from './commands'
import { flagRefusal } from './flag-checks'
import { FLAG_NAMES, FLAGS, type FlagName, type Flags, type FlagSpec, flagLabel } from './flags'

/** The parsed flags with only `name` given (a value of the kind it takes). */
function only(name: FlagName): Flags {
  const flags = Object.fromEntries(
    FLAG_NAMES.map((n) => [n, FLAGS[n].type === 'boolean' ? false : undefined])
  ) as Record<FlagName, unknown>
  const spec: FlagSpec = FLAGS[name]
  flags[name] = spec.type === 'boolean' ? true : spec.multiple ? ['1'] : '1'
  return flags as Flags
}

const takes = (command: Command, name: FlagName) =>
  (FLAGS[name] as FlagSpec).everyCommand === true || (command.flags as readonly FlagName[]).includes(name)

describe('the command table', () => {
  it('--help lists every command with its summary and every flag with its help', async () => {
    const help = (await runCli(['--help'])).stdout
    for (const command of COMMANDS)
      expect(help).toContain(`\n  ${command.synopsis.padEnd(22)}  ${command.summary[0]}\n`)
    for (const name of FLAG_NAMES) {
      const spec: FlagSpec = FLAGS[name]
      if (spec.section === 'summary') expect(help).toContain(`--${name}`)
      else expect(help).toContain(`\n  ${flagLabel(name).padEnd(22)}  ${spec.help[0]}\n`)
    }
  })

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s takes its own flags and refuses every other', (_, command) => {
    for (const name of FLAG_NAMES) {
      const refusal = flagRefusal(command, only(name))
      if (takes(command, name)) expect(refusal, `${command.name} --${name}`).toBeNull()
      else {
        expect(refusal, `${command.name} --${name}`).toMatch(/^--[\w -]+ (is|are) for [\w, ]+ only$/)
        expect(refusal).toMatch(new RegExp(`--${name}\\b`))
        // The refusal names the commands that do take it.
        const takers = COMMANDS.filter((c) => takes(c, name)).map((c) => c.name)
        for (const taker of takers) expect(refusal).toMatch(new RegExp(`\\b${taker}\\b`))
      }
    }
  })

  it('a flag the command does not take is refused with exit 2 before the home is opened', async () => {
    const r = await runCli(['ls', '--csv', '--home', '/nonexistent/home'])
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'error: --csv is for df and prune only\n' })
  })
})
