#!/usr/bin/env bash
# `npm test`: formatting and lint (zero warnings), type checks, unit + conformance + shell tests
# (vitest, Node), then the end-to-end suite (Playwright in Debian's Chromium; its global setup runs a
# real `electron-vite build`): every spec in serve mode (project chromium) and in the built desktop
# app over IPC on the Electron stand-in (project desktop), and the real-Electron specs (skipped
# without a binary); then one closing line with the totals of both suites.
# npm puts node_modules/.bin first on PATH, so `node` here is the Node 24 from the `node` package.
set -uo pipefail
cd "$(dirname "$0")/.."
echo "node $(node --version)"
reports=.test-reports
rm -rf "$reports" && mkdir -p "$reports"
status=0
npm run -s format:check || status=1
npm run -s lint || status=1
npm run -s typecheck || status=1
npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json" || status=1
if [ -f playwright.config.ts ]; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json || status=1
fi
npx tsx scripts/test-summary.ts "$reports/vitest.json" "$reports/playwright.json"
exit $status
