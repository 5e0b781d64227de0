// The layer rules in eslint.config.mjs must actually fire: each case lints a few lines as if they were a
// file at that path and expects `no-restricted-imports` / `no-restricted-syntax` to object, or not.
// Type-aware rules are switched off here (the snippets belong to no TypeScript project).
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({
  cwd: new URL('..', import.meta.url).pathname,
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ['**/*.{ts,tsx}'] }]
})

async function layerFindings(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path })
  const fatal = result.messages.find((m) => m.fatal)
  if (fatal) throw new Error(`${path}: ${fatal.message}`)
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

describe('layer rules', () => {
  it.each([
    ['src/main/core/x.ts', "import { app } from 'electron'"],
    ['src/main/core/x.ts', "import { installMenu } from '../shell/menu'"],
    ['src/main/core/x.ts', "import { dispatch } from '../transport/dispatch'"],
    ['src/main/core/x.ts', "import { runServe } from '../serve/run-serve'"],
    ['src/main/core/x.ts', "import { main } from '../cli/main'"],
    ['src/main/core/x.ts', "import { demoBuilder } from '../demo/demo-builder'"],
    ['src/main/core/x.ts', "import { prng } from '../../../test-support/fixtures/prng'"],
    ['src/main/core/files/x.ts', "import { planFiles } from '../planning/plan-files'"],
    ['src/main/core/database/x.ts', "import { homeOf } from '../homes/home'"],
    ['src/main/core/planning/x.ts', "import { openCache } from '../cache'"],
    ['src/main/core/usage/x.ts', "import { usageOf } from '../cache-reads'"],
    ['src/main/core/writing/x.ts', "import { app } from 'electron'"],
    ['src/main/core/usage/x.ts', "import { main } from '../../cli/main'"],
    ['src/renderer/src/x.ts', "import { openCache } from '../../main/core/cache'"],
    ['src/renderer/src/x.ts', "import { readFileSync } from 'node:fs'"],
    ['src/renderer/src/x.ts', "import { z } from 'zod'"],
    ['src/preload/x.ts', "import { z } from 'zod'"],
    ['src/shared/operations.ts', "import { z } from 'zod'"],
    ['src/main/transport/x.ts', "import { ipcMain } from 'electron'"],
    ['src/main/serve/x.ts', "import * as electron from 'electron'\nelectron.ipcMain.handle('x', () => 1)"],
    ['src/main/transport/x.ts', "import { recordingApi } from '../../../test-support/transport/recording-api'"]
  ])('%s may not: %s', async (path, code) => {
    expect(await layerFindings(path, `${code}\n`)).not.toEqual([])
  })

  it.each([
    ['src/main/core/x.ts', "import { CacheError } from '../../shared/errors'"],
    ['src/main/core/x.test.ts', "import { prng } from '../../../test-support/fixtures/prng'"],
    ['src/main/core/planning/x.ts', "import { CacheFiles } from '../files/cache-files'"],
    ['src/main/core/usage/x.ts', "import { planner } from '../planning/planner'"],
    ['src/main/shell/x.ts', "import { ipcMain } from 'electron'"],
    ['src/preload/x.ts', "import { contextBridge, ipcRenderer } from 'electron'"],
    ['src/main/transport/x.ts', "import { Worker } from 'node:worker_threads'"],
    ['src/renderer/src/x.ts', "import { OPERATIONS } from '../../shared/operations'"]
  ])('%s may: %s', async (path, code) => {
    expect(await layerFindings(path, `${code}\n`)).toEqual([])
  })
})
