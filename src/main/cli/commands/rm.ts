// `ice rm REF…`: removes images, all the references in one write (see ../remove-command.ts).
import { invalidArguments } from '../../../shared/errors'
import { referencesIssue } from '../../../shared/reference-rules'
import { defineCommand } from '../command'
import { removeCommand } from '../remove-command'

export const rm = defineCommand({
  name: 'rm',
  synopsis: 'rm REF...',
  summary: ['remove images (--force removes images in use; their data stays for the sandbox)'],
  flags: ['force', 'dry-run', 'json', 'flat'],
  run(cache, { args, flags, out }) {
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
})
