// The `ice` command (package.json `bin.ice` → out/main/ice.js, built by `npm run build`): the same
// commands as `npm run -s cli --`, started as plain built JavaScript so a call costs one Node start,
// not npm plus a TypeScript compile.
//
// better-sqlite3 13 needs Node 22 or newer (on Node 20 its native module crashes the process). The
// shebang finds whatever `node` is first on the PATH, so an older one hands over to the Node that the
// project's `node` devDependency installed, when it is there; the CLI itself is imported only after
// that check, so the native module is never loaded by the wrong Node. Nothing above the check may be
// a named import that an older Node lacks: the bundle hoists static imports, and a missing export
// fails the whole file before any line of it runs (`enableCompileCache` is Node 22.1+, so it is
// imported after the check).
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const MIN_NODE_MAJOR = 22
const HANDED_OVER = 'ICE_HANDED_OVER'

async function start(): Promise<void> {
  const major = Number(process.versions.node.split('.')[0])
  if (major < MIN_NODE_MAJOR) {
    process.exitCode = await handOver()
    return
  }
  // V8 keeps the compiled CLI on disk (Node's own cache folder in the temp directory): every later
  // call skips compiling ~1 MB of JavaScript, about a third of a short command's own time.
  const { enableCompileCache } = await import('node:module')
  // Optional: Node 22.0 has no compile cache.
  enableCompileCache?.()
  const [{ main }, { defaultSizeStoreDir }] = await Promise.all([import('./main'), import('../core/files/size-store')])
  process.exitCode = await main(process.argv.slice(2), { sizeStoreDir: defaultSizeStoreDir() })
}

/** The `node` package's binary in the nearest node_modules above this file, as Node resolves packages. */
function projectNodeBinary(): string | undefined {
  // out/main/ice.js → <package>/node_modules/node/bin/node (or a node_modules further up, where npm
  // hoisted it when the explorer is itself installed as a package).
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'node', 'bin', 'node')
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

/** Runs this same file under the project's own Node; answers its exit code. */
async function handOver(): Promise<number> {
  // Handed over once already and still too old (a `node` package of an old version): say so, never loop.
  const projectNode = process.env[HANDED_OVER] ? undefined : projectNodeBinary()
  if (projectNode === undefined) {
    process.stderr.write(
      `error: ice needs Node ${MIN_NODE_MAJOR} or newer (this is ${process.version}); install it or run npm install in the project\n`
    )
    return 1
  }
  // Imported here: every other start would pay for loading it.
  const { spawnSync } = await import('node:child_process')
  const child = spawnSync(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [HANDED_OVER]: '1' }
  })
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
