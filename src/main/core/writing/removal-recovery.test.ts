// A prune killed half-way is finished by the very next write, whatever state the killed process is in.
// The old guard asked whether the writer's pid was alive, which a zombie (killed, not yet reaped by its
// parent) still is: the next prune then skipped the journal and reported nothing. The guard is now a
// lock that the kernel drops when the process dies (owner-lock.ts), so the zombie below cannot fool it.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { runMsb } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { OwnerLock } from '../locks/owner-lock'
import { missingFiles, unreferencedFiles } from '../../../../test-support/core/image-integrity'

let root: string
let home: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-recovery-'))
  home = join(root, 'home')
  for (const name of ['one', 'two', 'three']) {
    const archive = join(root, `${name}.tar`)
    writeOciArchive(archive, [{ layers: [{ seed: name, sizeBytes: 16384 }], config: { cmd: ['sh'] } }])
    runMsb(home, ['load', '-q', '-i', archive, '-t', `localhost/${name}:1`])
  }
  runMsb(home, ['load', '-q', '-i', join(root, 'one.tar'), '-t', 'localhost/kept:1'])
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

function processState(pid: number): string | null {
  try {
    // The state letter follows the command name in parentheses.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0]
  } catch {
    return null
  }
}

/** How many threads of `pid` are listed; a zombie whose threads have all exited keeps one entry, its own. */
function threadCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).length
  } catch {
    return 0
  }
}

/**
 * Whether `pid` is a zombie that has really finished dying. Its state reads Z as soon as its main thread
 * has exited, while its other threads (Node's and libuv's) may still be on their way out, and its files
 * (so its removal lock) are closed only when the last of them is: a prune that looked then would find
 * the lock held and rightly leave the journal alone. With one entry left, every thread has gone.
 */
function isDeadZombie(pid: number): boolean {
  return processState(pid) === 'Z' && threadCount(pid) === 1
}

it(
  'a prune killed after moving its files aside, whose process is still a zombie, is finished by the next prune, which states the bytes',
  { timeout: 120_000 },
  async () => {
    const repo = resolve(import.meta.dirname, '../../../..')
    const cli = join(repo, 'src', 'main', 'cli', 'main.ts')
    // `exec sleep` replaces the shell with a process that never reaps its children: the killed prune stays a zombie.
    const shell = spawn(
      'sh',
      [
        '-c',
        `"$NODE" --import tsx "$CLI" prune --yes --image localhost/two:1 --image localhost/three:1 --home "$HOME_DIR" & echo $!; exec sleep 60`
      ],
      {
        cwd: repo,
        env: { ...process.env, NODE: process.execPath, CLI: cli, HOME_DIR: home, EXPLORER_CRASH_AT: 'after-move' },
        stdio: ['ignore', 'pipe', 'inherit']
      }
    )
    try {
      const pid = await new Promise<number>((done) =>
        shell.stdout.once('data', (chunk: Buffer) => done(Number(String(chunk).trim())))
      )
      const deadline = Date.now() + 60_000
      while (!isDeadZombie(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect({ state: processState(pid), threads: threadCount(pid) }).toEqual({ state: 'Z', threads: 1 })
      const trash = join(home, 'cache', 'tmp', 'explorer-trash')
      const left = readdirSync(trash)
      expect(left.length).toBeGreaterThan(0)
      // The rows are gone, the files wait in the trash: msb's view is already consistent.
      expect(missingFiles(home)).toEqual([])

      const r = await runCli(['prune', '--yes', '--dangling', '--home', home])
      expect({ code: r.code, left, stderr: r.stderr }).toMatchObject({ code: 0, stderr: '' })
      // On failure, say what the killed run had left, to tell a skipped journal from an empty one.
      const found = `trash before: ${left.join(', ')}; after: ${existsSync(trash) ? readdirSync(trash).join(', ') : '-'}`
      expect(r.stdout, found).toMatch(/finished a removal a killed run left behind: \d+ files, \d+ bytes/)
      expect(r.stdout).toMatch(/Reclaimed\s+\d/)
      expect(existsSync(trash) ? readdirSync(trash) : []).toEqual([])
      expect(unreferencedFiles(home)).toEqual([])
      expect(missingFiles(home)).toEqual([])
      expect(runMsb(home, ['image', 'ls', '--format', 'json']).stdout).toContain('localhost/kept:1')
    } finally {
      shell.kill('SIGKILL')
    }
  }
)

it("a live removal's lock cannot be taken, also from the same process; a released one can", () => {
  const path = join(root, 'probe.owner')
  const held = OwnerLock.acquire(path)
  expect(OwnerLock.tryAcquire(path)).toBeNull()
  // Another process cannot take it either.
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)},{timeout:0});try{d.exec('BEGIN EXCLUSIVE');console.log('got')}catch(e){console.log(e.code)}`
    ],
    { encoding: 'utf8', cwd: resolve(import.meta.dirname, '../../../..') }
  )
  expect(probe.stdout.trim()).toBe('SQLITE_BUSY')
  held.release()
  const again = OwnerLock.tryAcquire(path)
  expect(again).not.toBeNull()
  again!.release()
  expect(existsSync(path)).toBe(false)
})
