// vitest's global setup: a folder for the run's scenario templates (fixtures/scenario-templates.ts),
// named to the test files through the environment they inherit, and removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TEMPLATES_ENV } from './fixtures/scenario-templates'

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ice-templates-'))
  process.env[TEMPLATES_ENV] = dir
  return () => rmSync(dir, { recursive: true, force: true })
}
