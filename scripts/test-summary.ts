// Prints one closing line for the whole `npm test` run, "N passed, N failed, N skipped", from the
// JSON reports of vitest and Playwright, so a reader (or CI) sees the totals of both suites at once.
import { existsSync, readFileSync } from 'node:fs'

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

const total: Totals = { passed: 0, failed: 0, skipped: 0, flaky: 0 }
const [vitestFile, playwrightFile] = process.argv.slice(2)
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
const flaky = total.flaky > 0 ? ` (${total.flaky} passed only on retry)` : ''
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${flaky}`)
