import { defineConfig } from 'vitest/config'

// Unit, conformance and shell tests run under Node (never Electron): the core has no Electron import,
// and the shell is tested against a fake `electron` module (test-support/electron/fake-electron.ts).
// Files run two at a time even on 2 cores (vitest's default there is one): most of a file's time is
// spent waiting on msb, child processes and the disk. No file needs to run alone: each builds its
// homes in its own temporary directory, and the signs of a concurrent msb (concurrent-msb.ts) are read
// for one home's own files only, so another file's processes are never taken for msb at work.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Fails a test whose product code opens a SQLite database file with fs (test-support/guards/).
    setupFiles: ['test-support/guards/database-open-guard.ts'],
    // Each scenario's cache is built by msb once per run and copied for every test that asks for it.
    globalSetup: ['test-support/templates-setup.ts'],
    maxWorkers: 2,
    reporters: ['default']
  }
})
