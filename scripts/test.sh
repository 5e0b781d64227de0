#!/usr/bin/env bash
# `npm test`: formatting, lint (zero warnings) and type checks side by side, and beside them the builds
# the end-to-end suite runs on (e2e/support/prebuild.ts: the renderer for serve mode and a real
# `electron-vite build`); then unit + conformance + shell tests (vitest, Node, two workers); then the
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

# The tests' temporary homes on a RAM file system when there is one with room (2 GiB free): every test
# builds or copies homes of hundreds of files, and creating a file on this project's CI disks costs
# ~0.6 ms of kernel time (a third of the suite's system time). ICE_DISK_TMPDIR names a disk folder for
# what a RAM file system cannot do (mkfs.erofs's chunk-based images). Both are the run's own folders,
# removed at the end with whatever a test left in them.
disk_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ice-test-XXXXXX")
ram_tmp=
if [ -d /dev/shm ] && [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $4}')" -gt $((2 * 1024 * 1024)) ] 2>/dev/null; then
  ram_tmp=$(mktemp -d /dev/shm/ice-test-XXXXXX) || ram_tmp=
fi
trap 'rm -rf "$disk_tmp" ${ram_tmp:+"$ram_tmp"}' EXIT
test_tmp=${ram_tmp:-$disk_tmp}
echo "temporary homes in $test_tmp"

# The three static checks at once (each mostly one process on one core), each into its own log,
# printed in a fixed order once all are done. Lint is the longest; the e2e builds use the core the
# other two leave free before it ends (Playwright's global setup then skips them: ICE_E2E_BUILT). Not
# beside vitest: lint and type checks are CPU-bound and slowed it by more than they took (tried).
all_started=$(now)
static_started=$(now)
pids=()
for check in format:check lint typecheck; do
  part "$check" npm run -s "$check" >"$reports/$check.log" 2>&1 &
  pids+=($!)
done
part "e2e build" npx tsx e2e/support/prebuild.ts >"$reports/e2e-build.log" 2>&1 &
build_pid=$!
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
built=0
if wait "$build_pid"; then built=1; else status=1; fi
for check in format:check lint typecheck e2e-build; do cat "$reports/$check.log"; done
printf '%s\t%s\t%s\n' "static checks + e2e build (wall)" "$(($(now) - static_started))" "$status" >>"$times"

part vitest env TMPDIR="$test_tmp" ICE_DISK_TMPDIR="$disk_tmp" npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json" || status=1
if [ -f playwright.config.ts ]; then
  part playwright env TMPDIR="$test_tmp" ICE_DISK_TMPDIR="$disk_tmp" ICE_E2E_BUILT=$built PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --project=chromium --project=desktop --project=electron --reporter=list,json ||
    status=1
fi
printf '%s\t%s\t%s\n' "npm test (wall)" "$(($(now) - all_started))" "$status" >>"$times"
npx tsx scripts/test-summary.ts "$reports/vitest.json" "$reports/playwright.json" "$times"
exit $status
