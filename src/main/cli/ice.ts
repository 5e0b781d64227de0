// The `ice` command (package.json `bin.ice` → out/main/ice.js, built by `npm run build`): the same
// commands as `npm run -s cli --`, started as plain built JavaScript so a call costs one Node start,
// not npm plus a TypeScript compile.
//
// better-sqlite3 13 needs Node 22 or newer (on Node 20 its native module crashes the process). The
// shebang finds whatever `node` is first on the PATH, so an older one hands over to the Node that the
// project's `node` devDependency installed, when it is there; the CLI itself is imported only after
// that check, so the native module is never loaded by the wrong Node.
import { existsSync } from 'node:fs'
import { enableCompileCache } from 'node:module'
import { fileURLToPath } from 'node:url'

const MIN_NODE_MAJOR = 22

async function start(): Promise<void> {
  const major = Number(process.versions.node.split('.')[0])
  if (major < MIN_NODE_MAJOR) {
    process.exitCode = await handOver()
    return
  }
  // V8 keeps the compiled CLI on disk (Node's own cache folder in the temp directory): every later
  // call skips compiling ~1 MB of JavaScript, about a third of a short command's own time.
  enableCompileCache()
  const [{ main }, { defaultSizeStoreDir }] = await Promise.all([import('./main'), import('../core/size-store')])
  process.exitCode = await main(process.argv.slice(2), { sizeStoreDir: defaultSizeStoreDir() })
}

/** Runs this same file under the project's own Node; answers its exit code. */
async function handOver(): Promise<number> {
  // out/main/ice.js → <package>/node_modules/node/bin/node
  const projectNode = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url))
  if (!existsSync(projectNode)) {
    process.stderr.write(
      `error: ice needs Node ${MIN_NODE_MAJOR} or newer (this is ${process.version}); install it or run npm install in the project\n`
    )
    return 1
  }
  // Imported here: every other start would pay for loading it.
  const { spawnSync } = await import('node:child_process')
  const child = spawnSync(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  return child.status ?? 1
}

// `ice ls | head`: the reader went away; stop quietly, as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

start().catch((error: unknown) => {
  process.stderr.write(`error: ${(error as Error).message}\n`)
  process.exitCode = 1
})
