/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // esbuild strips the types (tsc --noEmit in npm test type-checks): test/support/esbuild-transform.js.
  transform: { '^.+\\.ts$': '<rootDir>/test/support/esbuild-transform.js' },
  // Synthesizes the default app once per run; whole-app tests read that assembly (test/support/synth.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // No built-in template validation (it runs once, in the gated synth) and no creation stack traces in test synths.
  setupFiles: ['<rootDir>/test/support/test-synth-settings.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 300000,
  // jest defaults to cores - 1 workers: one worker on a 2-core machine. Synthesis is CPU-bound per file, so use every core.
  maxWorkers: '100%',
  // A worker whose heap has grown past this after a test file is replaced: synth-heavy files leave
  // ~1 GB behind, and collecting a heap that size costs more than starting a fresh worker.
  workerIdleMemoryLimit: '500MB',
};
