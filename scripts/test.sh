#!/usr/bin/env bash
# `npm test`: formatting, lint (zero warnings) and type checks side by side, all beside unit +
# conformance + shell tests (vitest, Node, two workers); then the builds the end-to-end suite runs on
# (e2e/support/prebuild.ts: the renderer for serve mode and a real `electron-vite build`); then the
# end-to-end suite (Playwright in Debian's Chromium, on those builds): every spec in serve mode
# (project chromium), the desktop app's own specs plus a sample of the shared ones over IPC on the
# Electron stand-in (project desktop), and the real-Electron specs (skipped without a binary); then
# the time of each part and one closing line with the totals of both suites. Any failing part fails
# the run. The long loops (crash, concurrency, erofs fuzzing) run here at smoke size; `npm run soak`
# runs them long.
# npm puts node_modules/.bin first on PATH, so `node` here is the Node 24 from the `node` package.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "node $(node --version)"
reports=.test-reports
rm -rf "$reports" && mkdir -p "$reports"
times="$reports/times.tsv"
status=0
now() { date +%s%3N; }

# One part, timed: `part NAME COMMAND...` appends "NAME<tab>ms<tab>exit code" to $times.
part() {
  local name=$1 started rc
  shift
  started=$(now)
  "$@"
  rc=$?
  printf '%s\t%s\t%s\n' "$name" "$(($(now) - started))" "$rc" >>"$times"
  return $rc
}

# The three static checks at once (each mostly one process on one core), each into its own log, all
# beside vitest, whose files mostly wait on msb and other child processes; the logs are printed in a fixed
# order once both are done. Then the e2e builds (not beside vitest: scripts/start.test.ts builds out/ as
# `npm start` does; Playwright's global setup then skips them: ICE_E2E_BUILT), then Playwright.
all_started=$(now)
static_checks() {
  local started pids=() rc=0 check
  started=$(now)
  for check in format:check lint typecheck; do
    part "$check" npm run -s "$check" >"$reports/$check.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  printf '%s\t%s\t%s\n' "static checks (wall, beside vitest)" "$(($(now) - started))" "$rc" >>"$times"
  return $rc
}
static_checks &
static_pid=$!

part vitest npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json" || status=1
wait "$static_pid" || status=1
for check in format:check lint typecheck; do cat "$reports/$check.log"; done
built=0
part "e2e build" npx tsx e2e/support/prebuild.ts && built=1 || status=1

if [ -f playwright.config.ts ]; then
  part playwright env ICE_E2E_BUILT=$built PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json ||
    status=1
fi
printf '%s\t%s\t%s\n' "npm test (wall)" "$(($(now) - all_started))" "$status" >>"$times"
npx tsx scripts/test-summary.ts "$reports/vitest.json" "$reports/playwright.json" "$times"
exit $status
