// `ice ls`: the cached images (with --json: exactly `msb image ls --format json`).
import { defineCommand } from '../command'
import { describeImages } from '../human'
import { msbListJson, prettyJson } from '../msb-json'

export const ls = defineCommand({
  name: 'ls',
  synopsis: 'ls',
  summary: ['list cached images'],
  flags: ['json'],
  run(cache, { flags, out }) {
    if (flags.json) return (out(prettyJson(msbListJson(cache.listRows()))), 0)
    const { images, usages } = cache.listing()
    if (images.length === 0) {
      process.stderr.write('No images found.\n')
      return 0
    }
    return (out(describeImages(images, usages)), 0)
  }
})
