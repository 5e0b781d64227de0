#!/usr/bin/env bash
# `npm test`: type checks, unit + conformance + shell tests (vitest, Node), then the browser
# end-to-end suite (Playwright in Debian's Chromium) and the Electron specs (skipped without a binary).
# npm puts node_modules/.bin first on PATH, so `node` here is the Node 24 from the `node` package.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "node $(node --version)"
npm run -s typecheck
npx vitest run
if [ -f playwright.config.ts ]; then
  npx playwright test
fi
