/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Synthesizes the default app once per run; whole-app tests read that assembly (test/support/synth.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // CDK's built-in template validation runs once, in the gated synth (test/compliance/gates.test.ts).
  setupFiles: ['<rootDir>/test/support/no-builtin-validation.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 300000,
  // jest defaults to cores - 1 workers: one worker on a 2-core machine. Synthesis is CPU-bound per file, so use every core.
  maxWorkers: '100%',
};
