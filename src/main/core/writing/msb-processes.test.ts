// The msb processes at work on a cache: found by their own environment (MSB_HOME, or a config.json whose
// paths.cache is this cache), and a fetching one is waited for once, bounded. The race this closes, a
// home the explorer was not told about loading beside a prune, is run for real in concurrency.test.ts.
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { noteDatabaseFiles } from '../database/database-inodes'
import { tempDir } from '../../../../test-support/core/cache-dump'
import { parseLocks } from './concurrent-msb'
import { MsbCommands, msbProcessesOn, type ProcessTable } from './msb-processes'

const dir = tempDir('ice-msb-processes-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const home = join(dir, 'home')
const cache = join(home, 'cache')
const otherHome = join(dir, 'other')
const sharingHome = join(dir, 'sharing')
mkdirSync(cache, { recursive: true })
mkdirSync(join(otherHome, 'cache'), { recursive: true })
mkdirSync(sharingHome, { recursive: true })
writeFileSync(join(sharingHome, 'config.json'), JSON.stringify({ paths: { cache } }))

interface FakeProcess {
  comm: string
  args: string[]
  env: NodeJS.ProcessEnv
  cwd?: string
  /** Scans (alive checks) it survives; Infinity for one that never ends. */
  lives?: number
}

function table(processes: Record<number, FakeProcess>): ProcessTable {
  return {
    pids: () => Object.keys(processes).map(Number),
    comm: (pid) => processes[pid]?.comm ?? null,
    commandLine: (pid) => (processes[pid] ? ['msb', ...processes[pid].args] : null),
    alive: (pid) => {
      const p = processes[pid]
      if (!p) return false
      p.lives = (p.lives ?? Infinity) - 1
      return p.lives >= 0
    },
    environment: (pid) => (processes[pid] ? { env: processes[pid].env, cwd: processes[pid].cwd ?? '/' } : null)
  }
}

describe('msb processes working on a cache', () => {
  it("an msb of this home, of a home whose config.json shares the cache, or with a relative MSB_HOME is one; another home's msb or another program is not", () => {
    const found = msbProcessesOn(
      cache,
      table({
        10: { comm: 'msb', args: ['load', '-i', 'a.tar'], env: { MSB_HOME: home } },
        11: { comm: 'msb', args: ['pull', 'alpine'], env: { MSB_HOME: sharingHome } },
        12: { comm: 'msb', args: ['--quiet', 'image', 'pull', 'x'], env: { MSB_HOME: 'home' }, cwd: dir },
        13: { comm: 'msb', args: ['load', '-i', 'b.tar'], env: { MSB_HOME: otherHome } },
        14: { comm: 'sqlite3', args: ['msb.db'], env: { MSB_HOME: home } },
        15: { comm: 'msb', args: ['ls'], env: { HOME: dir, MSB_HOME: home } }
      }),
      1
    )
    expect(found.map((p) => [p.pid, p.fetching])).toEqual([
      [10, true],
      [11, true],
      [12, true],
      [15, false]
    ])
  })

  it('an msb whose MSB_CONFIG_PATH names a database the explorer holds is read without opening that file', () => {
    const held = join(dir, 'held')
    mkdirSync(join(held, 'db'), { recursive: true })
    const dbPath = join(held, 'db', 'msb.db')
    const db = new Database(dbPath)
    db.pragma('journal_mode = WAL')
    db.exec('CREATE TABLE t (x)')
    noteDatabaseFiles(dbPath)
    // SQLite's POSIX locks on the file: one fs close of it would drop them all.
    const locks = () => {
      const inode = String(statSync(dbPath).ino)
      return parseLocks(readFileSync('/proc/locks', 'utf8')).filter((l) => l.pid === process.pid && l.inode === inode)
        .length
    }
    try {
      expect(locks()).toBeGreaterThan(0)
      // The database-open guard fails this test if the config path is opened with fs. msb would refuse such a
      // config; its home's own cache, this one, is taken.
      const found = msbProcessesOn(
        cache,
        table({ 30: { comm: 'msb', args: ['load'], env: { MSB_HOME: home, MSB_CONFIG_PATH: dbPath } } }),
        1
      )
      expect(found.map((p) => p.pid)).toEqual([30])
      expect(locks()).toBeGreaterThan(0)
    } finally {
      db.close()
    }
  })

  it('a fetching msb is waited for until it ends, once; all of them 3 s at most in one removal', () => {
    let clock = 0
    const sleep = (ms: number) => (clock += ms)
    const processes: Record<number, FakeProcess> = {
      20: { comm: 'msb', args: ['load'], env: { MSB_HOME: home }, lives: 3 },
      21: { comm: 'msb', args: ['ls'], env: { MSB_HOME: home } }
    }
    const commands = new MsbCommands(cache, table(processes), () => clock)
    expect(commands.sign()).toMatch(/msb \(msb load\) is working on this cache/)
    expect(commands.waitForFetches(sleep, 3_000)).toBe(true)
    expect(clock).toBe(40)
    // The same process is not waited for again in this removal, and a non-fetching one never.
    processes[20].lives = Infinity
    expect(commands.waitForFetches(sleep, 3_000)).toBe(false)
    expect(clock).toBe(40)
    // A pull that starts later is seen at the next read of the table (one every 100 ms at most), and waited
    // for while the removal's wait lasts: 3 s in all, 40 ms of it spent.
    processes[22] = { comm: 'msb', args: ['pull', 'big'], env: { MSB_HOME: sharingHome } }
    clock += 100
    expect(commands.waitForFetches(sleep, 3_000)).toBe(true)
    expect(clock).toBe(140 + 2_960)
    // Once the wait is spent, another load is a sign (the grace period and the claims remain), not a wait.
    processes[23] = { comm: 'msb', args: ['load'], env: { MSB_HOME: home } }
    clock += 100
    expect(commands.waitForFetches(sleep, 3_000)).toBe(true)
    expect(clock).toBe(3_200)
  })

  it.skipIf(process.platform !== 'linux')(
    'reads a real process named msb from /proc, and not once it ended',
    async () => {
      // The kernel names a script's process after the script: a stand-in `msb` that waits for its stdin.
      const bin = join(dir, 'bin')
      mkdirSync(bin, { recursive: true })
      writeFileSync(join(bin, 'msb'), '#!/bin/sh\nread line\n')
      chmodSync(join(bin, 'msb'), 0o755)
      const child = spawn(join(bin, 'msb'), ['load', '-q', '-i', 'x.tar'], {
        env: { PATH: process.env.PATH, MSB_HOME: sharingHome },
        stdio: ['pipe', 'ignore', 'ignore']
      })
      try {
        for (let i = 0; i < 200 && msbProcessesOn(cache).length === 0; i++) await new Promise((r) => setTimeout(r, 10))
        expect(msbProcessesOn(cache)).toEqual([{ pid: child.pid, args: ['load', '-q', '-i', 'x.tar'], fetching: true }])
        expect(msbProcessesOn(join(otherHome, 'cache'))).toEqual([])
      } finally {
        child.stdin.end('\n')
        await new Promise((resolve) => child.once('exit', resolve))
      }
      expect(msbProcessesOn(cache)).toEqual([])
    }
  )
})
