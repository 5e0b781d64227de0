// The explorer finds the same cache msb finds: --home, then MSB_HOME, then ~/.microsandbox; config.json (in the home
// or at MSB_CONFIG_PATH) may move the home and the cache directory. Each rule is checked against where the real msb
// 0.6.18 put its files, not only against the spec.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../../test-support/fixtures/cli-capture'
import { msbBinary } from '../../demo/msb'
import { writeOciArchive } from '../../demo/oci-archive'
import { openCache } from '../cache'
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
    // (A --home that does not exist is also flagged as a problem; see below.)
    expect(locateCache({ home: '/explicit', env })).toMatchObject({
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

describe('homes and config files as msb reads them (side by side)', () => {
  /** Runs msb and the explorer's `ls --json` in `cwd` with the same environment. */
  async function both(env: Record<string, string>, cwd: string, args: string[] = []) {
    const m = spawnSync(msbBinary(), ['image', 'ls', '--format', 'json'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      encoding: 'utf8',
      cwd
    })
    const saved = process.cwd()
    process.chdir(cwd)
    try {
      const e = await runCli(['ls', '--json', ...args], cliEnv(env))
      return { msb: { code: m.status, stdout: m.stdout, stderr: m.stderr }, explorer: e }
    } finally {
      process.chdir(saved)
    }
  }

  it('--home follows config.json `home` exactly as MSB_HOME does', async () => {
    const pointer = dir('home-flag', 'pointer')
    const real = join(root, 'home-flag', 'real')
    writeFileSync(join(pointer, 'config.json'), JSON.stringify({ home: real }))
    load({ MSB_HOME: pointer }, 'home/flag:1')
    const r = await runCli(['ls', '--json', '--home', pointer], cliEnv({}))
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(msb({ MSB_HOME: pointer }, ['image', 'ls', '--format', 'json']))
    expect(JSON.parse(r.stdout)[0].reference).toBe('home/flag:1')
  })

  it('the default home ~/.microsandbox follows its config.json `home` too', async () => {
    const user = dir('default-home', 'user')
    const real = join(root, 'default-home', 'elsewhere')
    mkdirSync(join(user, '.microsandbox'))
    writeFileSync(join(user, '.microsandbox', 'config.json'), JSON.stringify({ home: real }))
    load({ HOME: user }, 'default/home:1')
    expect(readdirSync(real)).toContain('db')
    const r = await runCli(['ls', '--json'], cliEnv({ HOME: user }))
    expect(r.stdout).toBe(msb({ HOME: user }, ['image', 'ls', '--format', 'json']))
    expect(JSON.parse(r.stdout)).toHaveLength(1)
  })

  it('an empty `paths.cache` or `home` is the working directory, and `~` is not expanded (as msb)', async () => {
    const home = dir('empty-values', 'home')
    const cwd = dir('empty-values', 'cwd')
    writeFileSync(join(home, 'config.json'), JSON.stringify({ paths: { cache: '' } }))
    load({ MSB_HOME: home }, 'empty/cache:1', cwd)
    expect(readdirSync(cwd)).toContain('layers')
    const saved = process.cwd()
    process.chdir(cwd)
    try {
      expect(locateCache({ env: { MSB_HOME: home } }).cacheDir).toBe(cwd)
      const tilde = dir('empty-values', 'tilde-home')
      writeFileSync(join(tilde, 'config.json'), JSON.stringify({ home: '', paths: { cache: '~/c' } }))
      expect(locateCache({ env: { MSB_HOME: tilde, HOME: '/users/me' } })).toMatchObject({
        home: cwd,
        cacheDir: join(cwd, '~', 'c')
      })
    } finally {
      process.chdir(saved)
    }
    const tildeHome = dir('empty-values', 'tilde-msb')
    writeFileSync(join(tildeHome, 'config.json'), JSON.stringify({ paths: { cache: '~/c' } }))
    load({ MSB_HOME: tildeHome, HOME: dir('empty-values', 'user') }, 'tilde/cache:1', cwd)
    expect(readdirSync(join(cwd, '~', 'c'))).toContain('layers')
    const r = await both({ MSB_HOME: tildeHome, HOME: dir('empty-values', 'user') }, cwd)
    expect(r.explorer.stdout).toBe(r.msb.stdout)
  })

  it("a config.json msb cannot parse or read: both refuse, with msb's reason; nothing falls back to defaults", async () => {
    const home = dir('bad-config', 'home')
    load({ MSB_HOME: home }, 'bad/config:1')
    writeFileSync(join(home, 'config.json'), '{bad')
    let r = await both({ MSB_HOME: home }, root)
    expect(r.msb.code).not.toBe(0)
    expect(r.msb.stderr).toContain(`invalid config: failed to parse SDK config at ${join(home, 'config.json')}`)
    expect(r.explorer.code).not.toBe(0)
    expect(r.explorer.stderr).toContain(`invalid config: failed to parse SDK config at ${join(home, 'config.json')}`)
    rmSync(join(home, 'config.json'))
    mkdirSync(join(home, 'config.json'))
    r = await both({ MSB_HOME: home }, root)
    expect(r.msb.stderr).toContain('invalid config: failed to read SDK config')
    expect(r.explorer.code).not.toBe(0)
    expect(r.explorer.stderr).toContain('invalid config: failed to read SDK config')
    // Any JSON value parses for msb ([] or a null `paths`): its defaults then, and the same for the explorer.
    rmSync(join(home, 'config.json'), { recursive: true })
    for (const text of ['[]', '{"paths": null}', '{"home": 5, "paths": {"cache": 5}}']) {
      writeFileSync(join(home, 'config.json'), text)
      r = await both({ MSB_HOME: home }, root)
      expect(r.msb.code).toBe(0)
      expect(r.explorer.stdout).toBe(r.msb.stdout)
    }
  })

  it('--home that is missing or a regular file, and msb.db that is a directory: a clear error and a non-zero exit', async () => {
    const missing = join(root, 'bad-homes', 'missing')
    let r = await runCli(['ls', '--home', missing], cliEnv({}))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`the home ${missing} does not exist`)
    expect(existsSync(missing)).toBe(false)
    const file = join(dir('bad-homes'), 'a-file')
    writeFileSync(file, 'not a home')
    r = await runCli(['df', '--home', file], cliEnv({}))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`the home ${file} is not a directory`)
    // msb refuses a home that is a file as well.
    expect(spawnSync(msbBinary(), ['image', 'ls'], { env: { MSB_HOME: file }, encoding: 'utf8' }).status).not.toBe(0)
    const dbDir = dir('bad-homes', 'db-dir')
    mkdirSync(join(dbDir, 'db', 'msb.db'), { recursive: true })
    r = await runCli(['ls', '--home', dbDir], cliEnv({}))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`${join(dbDir, 'db', 'msb.db')} is not a file`)
    expect(r.stderr).not.toContain('EISDIR')
  })
})
