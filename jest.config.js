/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Test files run in worker processes that keep loaded modules from one file to the next, with tsx
  // loading the TypeScript (tsc --noEmit in npm test type-checks): test/support/runner/.
  runner: '<rootDir>/test/support/runner/module-sharing-runner.js',
  // For what jest itself loads (global setup and teardown): esbuild strips the types.
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  // Files marked `@slow` start first when jest has no timings for them (a fresh clone).
  testSequencer: '<rootDir>/test/support/runner/slow-first-sequencer.js',
  // Synthesizes the default app once per run; whole-app tests read that assembly (test/support/synth.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // No built-in template validation (it runs once, in the gated synth) and no creation stack traces in
  // test synths. The global setup sets them too, before the workers start, so they are in every worker's baseline environment.
  setupFiles: ['<rootDir>/test/support/test-synth-settings.ts'],
  // expect.assertions() and expect.hasAssertions() throw: the module-sharing runner does not check them.
  setupFilesAfterEnv: ['<rootDir>/test/support/runner/unenforced-expect.js'],
  // The module-sharing runner applies it to a whole file: a file still running after it fails, and its worker is replaced.
  testTimeout: 300000,
  // jest defaults to cores - 1 workers: one worker on a 2-core machine. Synthesis is CPU-bound per file, so use every core.
  maxWorkers: '100%',
};
