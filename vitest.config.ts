import { defineConfig } from 'vitest/config'

// Unit, conformance and shell tests run under Node (never Electron): the core has no Electron import,
// and the shell is tested against a fake `electron` module (test-support/electron/fake-electron.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Fails a test whose product code opens a SQLite database file with fs (test-support/guards/).
    setupFiles: ['test-support/guards/database-open-guard.ts'],
    reporters: ['default']
  }
})
