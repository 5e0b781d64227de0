// The explorer finds the same cache msb finds: --home, then MSB_HOME, then ~/.microsandbox; config.json (in the home
// or at MSB_CONFIG_PATH) may move the home and the cache directory. Each rule is checked against where the real msb
// 0.6.18 put its files, not only against the spec.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test-support/fixtures/cli-capture'
import { msbBinary } from '../demo/msb'
import { writeOciArchive } from '../demo/oci-archive'
import { openCache } from './cache'
import { locateCache } from './home'

let root: string
let archive: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ice-home-'))
  archive = join(root, 'image.tar')
  writeOciArchive(archive, [{ layers: [{ seed: 'home-test', sizeBytes: 2048 }], config: { cmd: ['sh'] } }])
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

/** Runs msb with exactly this environment (no MSB_HOME unless given) in `cwd`. */
function msb(env: Record<string, string>, args: string[], cwd = root): string {
  const r = spawnSync(msbBinary(), args, {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    encoding: 'utf8',
    cwd
  })
  if (r.status !== 0) throw new Error(`msb ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

function load(env: Record<string, string>, reference: string, cwd = root): void {
  msb(env, ['load', '-q', '-i', archive, '-t', reference], cwd)
}

function dir(...parts: string[]): string {
  const path = join(root, ...parts)
  mkdirSync(path, { recursive: true })
  return path
}

/** The environment the explorer's CLI runs with: only the variables that locate a home. */
function cliEnv(env: { HOME?: string; MSB_HOME?: string; MSB_CONFIG_PATH?: string }) {
  return { HOME: env.HOME ?? dir('nobody'), MSB_HOME: env.MSB_HOME, MSB_CONFIG_PATH: env.MSB_CONFIG_PATH }
}

describe('locateCache precedence', () => {
  it('--home beats MSB_HOME beats $HOME/.microsandbox; the database is always <home>/db/msb.db', () => {
    const env = { MSB_HOME: '/from/env', HOME: '/users/me' }
    expect(locateCache({ home: '/explicit', env })).toEqual({
      home: '/explicit',
      cacheDir: '/explicit/cache',
      dbPath: '/explicit/db/msb.db'
    })
    expect(locateCache({ env }).home).toBe('/from/env')
    expect(locateCache({ env: { HOME: '/users/me' } })).toEqual({
      home: '/users/me/.microsandbox',
      cacheDir: '/users/me/.microsandbox/cache',
      dbPath: '/users/me/.microsandbox/db/msb.db'
    })
  })
})

describe('the same cache as msb', () => {
  it('--home beats MSB_HOME beats ~/.microsandbox (CLI, against three real caches)', async () => {
    const a = dir('precedence', 'a')
    const b = dir('precedence', 'b')
    const user = dir('precedence', 'user')
    load({ MSB_HOME: a }, 'only/in-a:1')
    load({ MSB_HOME: b }, 'only/in-b:1')
    // msb with no MSB_HOME uses $HOME/.microsandbox.
    load({ HOME: user }, 'only/in-user-home:1')
    expect(readdirSync(join(user, '.microsandbox'))).toContain('db')

    const ls = async (args: string[], env: Parameters<typeof cliEnv>[0]) => {
      const r = await runCli(['ls', '--json', ...args], cliEnv(env))
      expect(r.code).toBe(0)
      return r.stdout
    }
    expect(await ls(['--home', a], { MSB_HOME: b, HOME: user })).toBe(
      msb({ MSB_HOME: a }, ['image', 'ls', '--format', 'json'])
    )
    expect(await ls([], { MSB_HOME: b, HOME: user })).toBe(msb({ MSB_HOME: b }, ['image', 'ls', '--format', 'json']))
    expect(await ls([], { HOME: user })).toBe(msb({ HOME: user }, ['image', 'ls', '--format', 'json']))
    expect(JSON.parse(await ls([], { HOME: user }))[0].reference).toBe('only/in-user-home:1')
  })

  it('config.json `paths.cache` (absolute) moves the cache directory; the database stays in the home', () => {
    const home = dir('paths-cache', 'home')
    const elsewhere = join(root, 'paths-cache', 'elsewhere')
    writeFileSync(join(home, 'config.json'), JSON.stringify({ paths: { cache: elsewhere } }))
    load({ MSB_HOME: home }, 'moved/cache:1')
    expect(readdirSync(home).sort()).toEqual(['config.json', 'db'])
    expect(readdirSync(elsewhere)).toContain('layers')

    const cache = openCache({ env: { MSB_HOME: home } })
    try {
      expect(cache.location).toEqual({ home, cacheDir: elsewhere, dbPath: join(home, 'db', 'msb.db') })
      const insight = cache.insight({ reference: 'moved/cache:1' })
      expect(insight.fsmetaBytes).toBeGreaterThan(0)
      expect(insight.layers[0].fileBytes).toBeGreaterThan(0)
      expect(cache.usage().totals.find((t) => t.kind === 'layer')?.files).toBe(1)
    } finally {
      cache.close()
    }
    // --home reads the home's config.json the same way.
    expect(openCache({ home, env: {} }).location.cacheDir).toBe(elsewhere)
  })

  it('a relative `paths.cache` is relative to the working directory, as msb resolves it', () => {
    const home = dir('relative-cache', 'home')
    const cwd = dir('relative-cache', 'cwd')
    writeFileSync(join(home, 'config.json'), JSON.stringify({ paths: { cache: 'rel-cache' } }))
    load({ MSB_HOME: home }, 'relative/cache:1', cwd)
    expect(readdirSync(cwd)).toEqual(['rel-cache'])
    const saved = process.cwd()
    process.chdir(cwd)
    try {
      const cache = openCache({ env: { MSB_HOME: home } })
      try {
        expect(cache.location.cacheDir).toBe(join(cwd, 'rel-cache'))
        expect(cache.insight({ reference: 'relative/cache:1' }).fsmetaBytes).toBeGreaterThan(0)
      } finally {
        cache.close()
      }
    } finally {
      process.chdir(saved)
    }
  })

  it('MSB_CONFIG_PATH names the config file (its `paths.cache` wins over <home>/config.json)', async () => {
    const home = dir('config-path', 'home')
    const elsewhere = join(root, 'config-path', 'cache-from-env-config')
    const config = join(root, 'config-path', 'msb-config.json')
    writeFileSync(config, JSON.stringify({ paths: { cache: elsewhere } }))
    // A config.json in the home that msb must not read when MSB_CONFIG_PATH is set.
    writeFileSync(join(home, 'config.json'), JSON.stringify({ paths: { cache: join(root, 'config-path', 'wrong') } }))
    load({ MSB_HOME: home, MSB_CONFIG_PATH: config }, 'config/path:1')
    expect(readdirSync(elsewhere)).toContain('layers')
    expect(readdirSync(join(root, 'config-path'))).not.toContain('wrong')

    const location = locateCache({ env: { MSB_HOME: home, MSB_CONFIG_PATH: config } })
    expect(location).toEqual({ home, cacheDir: elsewhere, dbPath: join(home, 'db', 'msb.db') })
    const r = await runCli(['df', '--json'], cliEnv({ MSB_HOME: home, MSB_CONFIG_PATH: config }))
    expect(r.code).toBe(0)
    const usage = JSON.parse(r.stdout) as { images: { reference: string; uniqueBytes: number }[] }
    expect(usage.images.map((i) => i.reference)).toEqual(['config/path:1'])
    expect(usage.images[0].uniqueBytes).toBeGreaterThan(0)
  })

  it('config.json `home` moves the home itself (MSB_HOME only says where config.json is)', async () => {
    const pointer = dir('config-home', 'pointer')
    const real = join(root, 'config-home', 'real')
    writeFileSync(join(pointer, 'config.json'), JSON.stringify({ home: real }))
    load({ MSB_HOME: pointer }, 'config/home:1')
    expect(readdirSync(pointer)).toEqual(['config.json'])
    expect(readdirSync(real).sort()).toEqual(['cache', 'db'])

    expect(locateCache({ env: { MSB_HOME: pointer } })).toEqual({
      home: real,
      cacheDir: join(real, 'cache'),
      dbPath: join(real, 'db', 'msb.db')
    })
    const r = await runCli(['ls', '--json'], cliEnv({ MSB_HOME: pointer }))
    expect(r.stdout).toBe(msb({ MSB_HOME: pointer }, ['image', 'ls', '--format', 'json']))
  })
})
