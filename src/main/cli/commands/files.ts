// `ice files REF [--layer N]`: the merged file tree of an image, or one layer's own changes.
import { defineCommand, single, validateArgs } from '../command'
import { describeFiles, filesJson, unreadLayers } from '../files-output'
import { escapeOutput } from '../terminal-text'

export const files = defineCommand({
  name: 'files',
  synopsis: 'files REF',
  summary: [
    "the files an image's sandboxes see, with the layer each comes from",
    "(--layer N: layer N's own entries, added/modified/deleted/opaque; 0 is the bottom)"
  ],
  flags: ['layer', 'json'],
  async run(cache, { args, flags, out }) {
    const reference = single(args, 'files REF [--layer N]')
    const layer = flags.layer === undefined ? undefined : /^\d+$/.test(flags.layer) ? Number(flags.layer) : NaN
    const valid = await validateArgs('imageFiles', layer === undefined ? { reference } : { reference, layer })
    const view = cache.imageFiles(valid)
    out(flags.json ? JSON.stringify(filesJson(view), null, 2) : describeFiles(view))
    // A view missing a layer's files is not the image's view: say which layer, and fail, as inspect flags the image.
    const unread = unreadLayers(view)
    for (const line of unread) process.stderr.write(`error: ${escapeOutput(line)}\n`)
    return unread.length > 0 ? 1 : 0
  }
})
