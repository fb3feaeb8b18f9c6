/** What both projects share. */
const base = {
  testEnvironment: 'node',
  // swc strips the types (tsconfig.json's isolatedModules keeps each file transpilable alone); `tsc --noEmit`
  // in npm test type-checks. jest caches each transformed file.
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // No built-in template validation (it runs once, in the gated synth) and no creation stack traces in
  // test synths. The global setup sets them too, so the processes tests start inherit them.
  setupFiles: ['<rootDir>/test/support/test-synth-settings.ts'],
  // Every spy is put back after each test.
  restoreMocks: true,
};

/** The whole-app gates (`npm run gates`): over the assembly BUILD_ASSEMBLY names, or a synth of their own. */
const GATES = '<rootDir>/test/compliance/gates.test.ts';

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...base,
      displayName: 'tests',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', GATES],
      // Synthesizes the tests' app (the config fixture, support/test-config.ts) once per run; whole-app tests read
      // that assembly (test/support/synth.ts).
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    { ...base, displayName: 'gates', testMatch: [GATES] },
  ],
  // A whole-app synth takes minutes on a busy 2-core machine.
  testTimeout: 300000,
  // jest defaults to cores - 1 workers: one worker on a 2-core machine. Synthesis is CPU-bound per file, so use every core.
  maxWorkers: '100%',
  // A worker keeps what every test file it ran loaded (module registries, CDK apps): 860 MB of heap after the 37
  // files of test/lambda/pipeline each of two workers runs. Four such workers beside the gates' synth would crowd
  // the Build action's 7 GB, and a process that large takes longer to end than jest's 500 ms grace, so jest
  // would report "A worker process has failed to exit gracefully" though no handle is left open. jest restarts a
  // worker between files once its heap passes this limit
  // (https://jestjs.io/docs/configuration#workeridlememorylimit-numberstring).
  workerIdleMemoryLimit: '512MB',
};
