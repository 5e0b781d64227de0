// `ice history REF`: the build steps of an image and the layer each made (as `docker history`).
import { defineCommand, single, validateArgs } from '../command'
import { describeHistory, historyJson } from '../history-output'
import { prettyJson } from '../msb-json'

export const history = defineCommand({
  name: 'history',
  synopsis: 'history REF',
  summary: [
    'the build steps of an image, newest first, and the layer each made',
    '(as docker history; from the image config msb keeps)'
  ],
  flags: ['json'],
  async run(cache, { args, flags, out }) {
    const reference = single(args, 'history REF')
    await validateArgs('history', { reference })
    const steps = cache.history({ reference })
    const detail = cache.inspect({ reference })
    return (out(flags.json ? prettyJson(historyJson(steps, detail)) : describeHistory(steps, detail)), 0)
  }
})
