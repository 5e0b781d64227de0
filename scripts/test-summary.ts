// Prints the end of the whole `npm test` run: the time of each part (from test.sh's times file, so a
// slow part shows at once), then one closing line, "N passed, N failed, N skipped", from the JSON
// reports of vitest and Playwright, so a reader (or CI) sees the totals of both suites at once. Every
// failed test is named there too, with the first lines of its error: a CI log is often read from its end.
import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'

interface Totals {
  passed: number
  failed: number
  skipped: number
  /** Playwright specs that failed once and passed on their retry: counted as passed, named here. */
  flaky: number
}

function vitest(file: string): Totals {
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number
    numFailedTests: number
    numPendingTests: number
    numTodoTests?: number
  }
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    skipped: r.numPendingTests + (r.numTodoTests ?? 0),
    flaky: 0
  }
}

function playwright(file: string): Totals {
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number }
  }
  return {
    passed: r.stats.expected + r.stats.flaky,
    failed: r.stats.unexpected,
    skipped: r.stats.skipped,
    flaky: r.stats.flaky
  }
}

/** The lines "part<tab>ms<tab>exit code" test.sh wrote, as "  vitest  83.2 s" (and "failed" where it did). */
function printTimes(file: string): void {
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'))
  const width = Math.max(...rows.map(([name]) => name.length))
  console.log('time per part:')
  for (const [name, ms, code] of rows) {
    if (name === 'npm test (wall)') continue
    const failed = code === '0' ? '' : '  failed'
    console.log(`  ${name.padEnd(width)}  ${(Number(ms) / 1000).toFixed(1).padStart(6)} s${failed}`)
  }
  // The whole run's wall time, as test.sh took it: its parts overlap, so adding them up would say more.
  const whole = rows.find(([name]) => name === 'npm test (wall)')
  if (!whole) return
  const sum = Number(whole[1])
  console.log(`  ${'total'.padEnd(width)}  ${(sum / 1000).toFixed(1).padStart(6)} s`)
}

interface PlaywrightSuite {
  specs?: { tests: { projectName: string; results: { duration: number }[] }[] }[]
  suites?: PlaywrightSuite[]
}

/** Where Playwright's time went: per project, its tests and their summed time (workers run side by side). */
function printPlaywrightProjects(file: string): void {
  const r = JSON.parse(readFileSync(file, 'utf8')) as { suites: PlaywrightSuite[] }
  const projects = new Map<string, { tests: number; ms: number }>()
  const walk = (suite: PlaywrightSuite): void => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests) {
        const p = projects.get(t.projectName) ?? { tests: 0, ms: 0 }
        p.tests++
        p.ms += t.results.reduce((sum, result) => sum + result.duration, 0)
        projects.set(t.projectName, p)
      }
    for (const child of suite.suites ?? []) walk(child)
  }
  r.suites.forEach(walk)
  for (const [name, p] of projects)
    console.log(`  playwright ${name}: ${p.tests} tests, ${(p.ms / 1000).toFixed(1)} s of test time`)
}

/** The slowest vitest files (they run side by side, so these are not parts of the wall time). */
function printSlowestVitestFiles(file: string, count = 5): void {
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    testResults: { name: string; startTime: number; endTime: number }[]
  }
  const slowest = r.testResults
    .map((t) => ({ name: relative(process.cwd(), t.name), ms: t.endTime - t.startTime }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
  console.log(`  slowest vitest files: ${slowest.map((t) => `${t.name} ${(t.ms / 1000).toFixed(1)} s`).join(', ')}`)
}

/** The first lines of an error message, without colour codes, indented under the test's name. */
function firstLines(message: string, count = 6): string {
  return (
    message
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(0, count)
      .map((line) => `      ${line.slice(0, 300)}`)
      .join('\n')
  )
}

/** Every failed vitest test: file, full name, and the start of its first failure message. */
function vitestFailures(file: string): string[] {
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    testResults: {
      name: string
      message?: string
      status: string
      assertionResults: { fullName: string; status: string; failureMessages: string[] }[]
    }[]
  }
  const out: string[] = []
  for (const f of r.testResults) {
    const name = relative(process.cwd(), f.name)
    const failed = f.assertionResults.filter((a) => a.status === 'failed')
    for (const a of failed) out.push(`  ${name} › ${a.fullName}\n${firstLines(a.failureMessages[0] ?? '')}`)
    // A file that failed outside any test (a hook, an import) has no failed assertion to name.
    if (failed.length === 0 && f.status === 'failed') out.push(`  ${name}\n${firstLines(f.message ?? '')}`)
  }
  return out
}

interface PlaywrightResultSuite {
  specs?: {
    title: string
    file: string
    line: number
    tests: { projectName: string; status: string; results: { error?: { message?: string } }[] }[]
  }[]
  suites?: PlaywrightResultSuite[]
}

/** Every Playwright test that failed on all its tries. */
function playwrightFailures(file: string): string[] {
  const r = JSON.parse(readFileSync(file, 'utf8')) as { suites: PlaywrightResultSuite[] }
  const out: string[] = []
  const walk = (suite: PlaywrightResultSuite): void => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests)
        if (t.status === 'unexpected') {
          const message = t.results.find((result) => result.error?.message)?.error?.message ?? ''
          out.push(`  [${t.projectName}] ${spec.file}:${spec.line} › ${spec.title}\n${firstLines(message)}`)
        }
    for (const child of suite.suites ?? []) walk(child)
  }
  r.suites.forEach(walk)
  return out
}

const total: Totals = { passed: 0, failed: 0, skipped: 0, flaky: 0 }
const [vitestFile, playwrightFile, timesFile] = process.argv.slice(2)
if (timesFile && existsSync(timesFile)) {
  printTimes(timesFile)
  if (vitestFile && existsSync(vitestFile)) printSlowestVitestFiles(vitestFile)
  if (playwrightFile && existsSync(playwrightFile)) printPlaywrightProjects(playwrightFile)
}
for (const [file, read] of [
  [vitestFile, vitest],
  [playwrightFile, playwright]
] as const) {
  if (!file || !existsSync(file)) continue
  const t = read(file)
  total.passed += t.passed
  total.failed += t.failed
  total.skipped += t.skipped
  total.flaky += t.flaky
}
const failures = [
  ...(vitestFile && existsSync(vitestFile) ? vitestFailures(vitestFile) : []),
  ...(playwrightFile && existsSync(playwrightFile) ? playwrightFailures(playwrightFile) : [])
]
if (failures.length > 0) console.log(`failed:\n${failures.join('\n')}`)
const flaky = total.flaky > 0 ? ` (${total.flaky} passed only on retry)` : ''
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${flaky}`)
