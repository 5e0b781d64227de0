// `ice df`: disk usage by kind of file and by image.
import { CacheError } from '../../../shared/errors'
import { usageCsv } from '../../../shared/export-csv'
import { defineCommand } from '../command'
import { describeUsage } from '../human'
import { prettyJson } from '../msb-json'

export const df = defineCommand({
  name: 'df',
  synopsis: 'df',
  summary: ['disk usage by kind of file and by image'],
  flags: ['json', 'csv'],
  run(cache, { flags, out }) {
    if (flags.json && flags.csv) throw new CacheError('InvalidArgument', 'choose one of --json and --csv')
    const usage = cache.usage()
    if (flags.csv) return (process.stdout.write(usageCsv(usage)), 0)
    return (out(flags.json ? prettyJson(usage) : describeUsage(usage, cache.status())), 0)
  }
})
