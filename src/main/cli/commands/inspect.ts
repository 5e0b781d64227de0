// `ice inspect REF`: one image (with --json: exactly `msb image inspect REF --format json`).
import { defineCommand, single, validateArgs } from '../command'
import { describeInspect } from '../human'
import { msbInspectJson, prettyJson } from '../msb-json'

export const inspect = defineCommand({
  name: 'inspect',
  synopsis: 'inspect REF',
  summary: [
    'show one image: config and layers (top layer first, the base last;',
    "--json keeps msb's order, base first)"
  ],
  flags: ['json'],
  async run(cache, { args, flags, out }) {
    const reference = single(args, 'inspect REF')
    await validateArgs('inspect', { reference })
    if (flags.json) {
      const { row, detail, configRow } = cache.inspectRows(reference)
      return (out(prettyJson(msbInspectJson(row, detail, configRow))), 0)
    }
    return (out(describeInspect(cache.insight({ reference }))), 0)
  }
})
