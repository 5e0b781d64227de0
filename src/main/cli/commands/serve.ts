// `ice serve [--port N]`: the explorer over HTTP on 127.0.0.1, for headless hosts. The server (and
// all it brings) is loaded only by this command.
import { defineCommand } from '../command'

export const serve = defineCommand({
  name: 'serve',
  synopsis: 'serve',
  summary: [
    'serve the explorer over HTTP on 127.0.0.1 (for headless hosts)',
    '(--port N: the port; default: a free one)'
  ],
  flags: ['port'],
  check(flags) {
    // Decimal only: Number('0x10') would be 16 and Number('') 0.
    if (flags.port !== undefined && (!/^\d{1,5}$/.test(flags.port) || Number(flags.port) > 65535))
      return `--port must be a decimal number from 0 to 65535, not "${flags.port}"`
    return null
  },
  async start({ flags }, options) {
    const { runServe } = await import('../../serve/run-serve')
    await runServe({
      home: flags.home,
      alsoHomes: flags['also-home'] ?? [],
      port: flags.port === undefined ? undefined : Number(flags.port),
      sizeStoreDir: options.sizeStoreDir
    })
    return 0
  }
})
