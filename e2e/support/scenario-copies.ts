// A fixture cache per test without building it per test: each Playwright worker builds a scenario once
// with the real msb (a couple of seconds for the standard one) and gives every test an exact copy
// (`cp -a`: the same rows, ids, times and files). The explorer reads nothing that names the home it
// was built in (only a vmdk descriptor and a snapshot's artifact path do, which it never opens), and
// tests change only their own copy.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildScenario, type BuiltScenario, type Scenario } from '../../test-support/fixtures/scenarios'

const templates = new Map<string, { home: string; built: BuiltScenario }>()
const dirs: string[] = []
process.on('exit', () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** Fills the (empty) `home` with `scenario`, as buildScenario would. */
export function scenarioCopy(home: string, scenario: Scenario): BuiltScenario {
  const key = JSON.stringify(scenario)
  let template = templates.get(key)
  if (!template) {
    const dir = mkdtempSync(join(tmpdir(), 'ice-e2e-template-'))
    dirs.push(dir)
    const templateHome = join(dir, 'home')
    template = { home: templateHome, built: buildScenario(templateHome, scenario) }
    templates.set(key, template)
  }
  execFileSync('cp', ['-a', `${template.home}/.`, home])
  return { ...template.built, home }
}
