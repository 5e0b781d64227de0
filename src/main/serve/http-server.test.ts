import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { recordingApi } from '../../../test-support/transport/recording-api'
import type { RecordingApi } from '../../../test-support/transport/recording-api'
import { startServer } from './http-server'
import type { RunningServer } from './http-server'

interface Sent {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** node:http rather than fetch: fetch cannot forge Host or send raw, unnormalised paths. */
function send(
  server: RunningServer,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: init.method ?? 'GET',
        path,
        headers: { host: `127.0.0.1:${server.port}`, ...init.headers }
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

function callApi(
  server: RunningServer,
  op: string,
  args: unknown,
  headers: Record<string, string> = {}
): Promise<Sent> {
  return send(server, `/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-explorer-token': server.token, ...headers },
    body: JSON.stringify(args)
  })
}

let root: string
let staticDir: string
let server: RunningServer
let recording: RecordingApi

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'serve-test-'))
  staticDir = join(root, 'renderer')
  mkdirSync(join(staticDir, 'assets'), { recursive: true })
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>explorer</title>')
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.json'), '{"secret":"outside the build"}')
  symlinkSync(join(root, 'secret.json'), join(staticDir, 'assets', 'link.json'))
  recording = recordingApi()
  server = await startServer({ api: recording.api, staticDir })
})

afterAll(async () => {
  await server.close()
  rmSync(root, { recursive: true, force: true })
})

beforeEach(() => {
  recording.calls.length = 0
})

describe('startServer', () => {
  it('prints a loopback URL carrying a 32-byte base64url token in the fragment', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('gives each server its own token', async () => {
    const other = await startServer({ api: recording.api, staticDir })
    expect(other.token).not.toBe(server.token)
    await other.close()
  })

  it('refuses to bind a non-loopback host', async () => {
    await expect(startServer({ api: recording.api, staticDir, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(
      /non-loopback/
    )
  })
})

describe('API calls', () => {
  it('answers a good call with 200, the result and no-store', async () => {
    const res = await callApi(server, 'status', {})
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, result: { imageCount: 0, revision: 'r0' } })
    expect(res.headers['cache-control']).toBe('no-store')
    expect(recording.calls).toEqual([{ op: 'status', args: {} }])
  })

  it('maps core errors to their HTTP status', async () => {
    const res = await callApi(server, 'get', { reference: 'missing:1' })
    expect(res.status).toBe(404)
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'ImageNotFound' } })
  })

  it.each([
    ['missing', {}],
    ['wrong', { 'x-explorer-token': 'not-the-token' }],
    ['empty', { 'x-explorer-token': '' }]
  ])('refuses a %s token with 403 and no call', async (_label, headers) => {
    const base: Record<string, string> = { 'content-type': 'application/json', ...headers }
    const res = await send(server, '/api/status', { method: 'POST', headers: base, body: '{}' })
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(recording.calls).toEqual([])
  })

  it('refuses a token that is only a prefix of the real one', async () => {
    const res = await callApi(server, 'status', {}, { 'x-explorer-token': server.token.slice(0, -1) })
    expect(res.status).toBe(403)
  })

  it.each(['http://evil.example', 'null', 'https://127.0.0.1:1', 'http://localhost:1'])(
    'refuses the foreign Origin %s with 403',
    async (origin) => {
      const res = await callApi(server, 'status', {}, { origin })
      expect(res.status).toBe(403)
      expect(recording.calls).toEqual([])
    }
  )

  it('accepts its own Origin', async () => {
    const res = await callApi(server, 'status', {}, { origin: `http://127.0.0.1:${server.port}` })
    expect(res.status).toBe(200)
  })

  it.each(['evil.example', 'evil.example:PORT', '127.0.0.1', '127.0.0.1:1', '127.0.0.1.nip.io:PORT'])(
    'refuses the Host %s with 403 (DNS rebinding)',
    async (hostPattern) => {
      const res = await callApi(server, 'status', {}, { host: hostPattern.replace('PORT', String(server.port)) })
      expect(res.status).toBe(403)
      expect(recording.calls).toEqual([])
    }
  )

  it.each(['localhost', '[::1]'])('accepts the loopback Host %s', async (name) => {
    const res = await callApi(server, 'status', {}, { host: `${name}:${server.port}` })
    expect(res.status).toBe(200)
  })

  it('rejects invalid arguments with 400 InvalidArgument and no side effect', async () => {
    const res = await callApi(server, 'remove', { references: ['alpine'], force: 'yes' })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'InvalidArgument' } })
    expect(recording.calls).toEqual([])
  })

  it.each([
    ['remove', { references: ['alpine'], force: false }],
    ['prune', { scope: { kind: 'unused' } }]
  ])('refuses %s without the fingerprint of an approved plan: 400, the core never called', async (op, args) => {
    const res = await callApi(server, op, args)
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({
      ok: false,
      error: { code: 'InvalidArgument', message: expect.stringMatching(/fingerprint of an approved plan/) }
    })
    expect(recording.calls).toEqual([])
  })

  it('passes retention rules through, and refuses rules that do not parse before the core sees them', async () => {
    const rules = { unusedFor: '30d', keepLast: 2, keep: ['docker.io/library/*'] }
    // The recording api answers Unsupported; what matters is that the rules reached it intact.
    await callApi(server, 'prunePlan', { scope: { kind: 'rules', rules } })
    expect(recording.calls).toEqual([{ op: 'prunePlan', args: { scope: { kind: 'rules', rules } } }])
    recording.calls.length = 0
    for (const bad of [{ unusedFor: '30 days' }, { keepLast: 0 }, {}]) {
      const res = await callApi(server, 'prune', { scope: { kind: 'rules', rules: bad } })
      expect(res.status).toBe(400)
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'InvalidArgument' } })
    }
    expect(recording.calls).toEqual([])
  })

  it('rejects a body that is not JSON with 400', async () => {
    const res = await send(server, '/api/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-explorer-token': server.token },
      body: '{nope'
    })
    expect(res.status).toBe(400)
    expect(recording.calls).toEqual([])
  })

  it('rejects a non-JSON content type with 415 (no simple-request CSRF)', async () => {
    const res = await send(server, '/api/status', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-explorer-token': server.token },
      body: '{}'
    })
    expect(res.status).toBe(415)
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
  })

  it('rejects a body over the limit with 413', async () => {
    const res = await callApi(server, 'get', { reference: 'x'.repeat(1024 * 1024 + 10) })
    expect(res.status).toBe(413)
    expect(recording.calls).toEqual([])
  })

  it('answers 405 with Allow: POST for other methods', async () => {
    const res = await send(server, '/api/status', { headers: { 'x-explorer-token': server.token } })
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('POST')
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
    expect(recording.calls).toEqual([])
  })

  it.each(['nope', '__proto__', 'constructor', ''])('answers 404 for the unknown operation %j', async (op) => {
    const res = await callApi(server, op, {})
    expect(res.status).toBe(404)
    expect(recording.calls).toEqual([])
  })
})

describe('static files', () => {
  it('serves index.html with the security headers', async () => {
    const res = await send(server, '/')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>explorer</title>')
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
  })

  it('serves assets with their content type', async () => {
    const res = await send(server, '/assets/app.js')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  it('falls back to index.html for page routes, but not for missing assets', async () => {
    expect((await send(server, '/images/alpine')).body).toContain('<title>explorer</title>')
    expect((await send(server, '/assets/missing.js')).status).toBe(404)
  })

  it.each([
    '/../package.json',
    '/../secret.json',
    '/..%2fsecret.json',
    '/%2e%2e/secret.json',
    '/%2E%2E%2Fsecret.json',
    '/assets/..%2f..%2fsecret.json',
    '/..%5csecret.json',
    '/%00index.html',
    '/%E0%A4%A',
    '/assets/link.json'
  ])('refuses %s', async (path) => {
    const res = await send(server, path)
    expect([400, 403, 404]).toContain(res.status)
    expect(res.body).not.toContain('outside the build')
    expect(res.body).not.toContain('"name"')
  })

  it('needs a loopback Host too (a rebinding page must not read the build)', async () => {
    const res = await send(server, '/', { headers: { host: 'evil.example' } })
    expect(res.status).toBe(403)
  })

  it('answers 405 to writes on static paths', async () => {
    expect((await send(server, '/', { method: 'PUT', body: 'x' })).status).toBe(405)
  })
})
